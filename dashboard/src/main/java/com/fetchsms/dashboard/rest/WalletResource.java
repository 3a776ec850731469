package com.fetchsms.dashboard.rest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.Deposit;
import com.fetchsms.dashboard.domain.DepositOrder;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.LedgerEntry;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.Wallet;
import com.fetchsms.dashboard.service.LedgerCsv;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The wallet: the balance, a top-up through the platform's payment provider (the local sandbox completes at once; a
 * real provider sends the customer to its checkout), the ledger page by page, and the ledger as CSV.
 */
@Path("/wallet")
@Produces(MediaType.TEXT_HTML)
public class WalletResource {

    private static final List<String> FIELDS = List.of("amount_cents", "method");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance wallet(Page page, Wallet wallet, List<LedgerEntry> entries, String older,
                boolean welcome, Deposit deposit, String amount, String requestId, FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    DashboardConfig config;

    @Inject
    @RestClient
    PublicApi api;

    /** The wallet; {@code deposit}: a deposit just started here, whose outcome the page shows. */
    @GET
    public Uni<TemplateInstance> wallet(@RestQuery String before, @RestQuery String welcome,
            @RestQuery String deposit) {
        String started = Ids.orNull(deposit);
        Uni<Deposit> shown = started == null
                ? Uni.createFrom().nullItem()
                // Not the caller's (404), say: nothing to show.
                : api.deposit(pages.bearer(), started).onFailure(ApiError.class)
                        .recoverWithUni(failure -> ((ApiError) failure).status() == 404
                                ? Uni.createFrom().nullItem()
                                : Uni.createFrom().failure(failure));
        return shown.flatMap(found -> page(before, "1".equals(welcome), found, "", FormProblem.NONE));
    }

    /**
     * Starts a deposit, then back to the wallet (303) showing its outcome: credited, or waiting for payment with the
     * way to the provider's checkout. A resent form (the same {@code request_id}) credits once.
     */
    @POST
    @Path("deposits")
    public Uni<Response> deposit(@RestForm String amount, @RestForm String method,
            @RestForm("request_id") String requestId) {
        String bearer = pages.bearer();
        Long cents = cents(amount);
        if (cents == null) {
            return page(null, false, null, amount,
                    new FormProblem("amount_cents", "Write the amount in dollars, e.g. 10 or 12.50."))
                    .map(page -> Pages.render(422, page));
        }
        String idempotencyKey = Ids.uuidOr(requestId, UUID.randomUUID().toString());
        return api.deposit(bearer, idempotencyKey, new DepositOrder(cents, method == null ? "card" : method))
                .map(deposit -> pages.seeOther("/app/wallet?deposit=" + Ids.uuid(deposit.id())))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(error -> {
                    FormProblem problem = Pages.problem(error, FIELDS);
                    if ("amount_cents".equals(problem.field()) && error.status() == 422) {
                        // The API speaks in cents; the form in dollars.
                        return new FormProblem("amount_cents", "The amount must be from $1 to $10,000.");
                    }
                    return problem;
                }, problem -> page(null, false, null, amount, problem)));
    }

    /** The whole ledger (the newest {@code csv-max-rows}), newest first, as a CSV file. */
    @GET
    @Path("ledger.csv")
    @Produces("text/csv")
    public Uni<Response> csv() {
        String bearer = pages.bearer();
        return collect(bearer, null, new ArrayList<>())
                .map(entries -> Response.ok(LedgerCsv.write(entries))
                        .header("Content-Disposition", "attachment; filename=\"fetchsms-ledger.csv\"")
                        .type("text/csv; charset=UTF-8").build());
    }

    private Uni<List<LedgerEntry>> collect(String bearer, String before, List<LedgerEntry> into) {
        int limit = Math.min(200, config.csvMaxRows() - into.size());
        return api.ledger(bearer, limit, before).flatMap(page -> {
            into.addAll(page);
            if (page.size() < limit || into.size() >= config.csvMaxRows()) {
                return Uni.createFrom().item(into);
            }
            return collect(bearer, page.get(page.size() - 1).id(), into);
        });
    }

    private Uni<TemplateInstance> page(String before, boolean welcome, Deposit deposit, String amount,
            FormProblem problem) {
        String bearer = pages.bearer();
        int size = config.pageSize();
        return Uni.combine().all()
                .unis(pages.signedIn("Wallet", "wallet"), api.wallet(bearer),
                        api.ledger(bearer, size, Ids.orNull(before)))
                .asTuple().map(t -> Templates.wallet(t.getItem1(), t.getItem2(), t.getItem3(),
                        t.getItem3().size() == size ? t.getItem3().get(size - 1).id() : null, welcome, deposit,
                        amount == null ? "" : amount, UUID.randomUUID().toString(), problem));
    }

    /** Dollars as written by a person ({@code 10}, {@code 12.5}, {@code $12.50}) in cents; {@code null} if not. */
    static Long cents(String dollars) {
        if (dollars == null) {
            return null;
        }
        String plain = dollars.trim().replace("$", "").replace(",", "");
        if (!plain.matches("\\d{1,7}(\\.\\d{1,2})?")) {
            return null;
        }
        return new BigDecimal(plain).movePointRight(2).longValueExact();
    }
}
