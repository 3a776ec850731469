package com.fetchsms.dashboard.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.AdminAccount;
import com.fetchsms.dashboard.domain.AdminLedgerEntry;
import com.fetchsms.dashboard.domain.Adjustment;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.Money;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Operators: accounts — search by email, one account's balance and ledger, and crediting or debiting it with a
 * reason (an adjustment in the ledger, never below zero).
 */
@Path("/admin/accounts")
@Produces(MediaType.TEXT_HTML)
public class AdminAccountResource {

    private static final List<String> FIELDS = List.of("amount_cents", "reason");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accounts(Page page, String email, List<AdminAccount> accounts, String next);

        static native TemplateInstance account(Page page, AdminAccount account, List<AdminLedgerEntry> entries,
                String older, String amount, String reason, String requestId, String notice, FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    DashboardConfig config;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> accounts(@RestQuery String email, @RestQuery String after) {
        String bearer = pages.bearer();
        int size = config.pageSize();
        String search = email == null ? "" : email.trim();
        return Uni.combine().all()
                .unis(pages.admin("Accounts", "admin-accounts"),
                        api.accounts(bearer, search.isEmpty() ? null : search, blankToNull(after), size))
                .asTuple().map(t -> Templates.accounts(t.getItem1(), search, t.getItem2(),
                        t.getItem2().size() == size ? t.getItem2().get(size - 1).email() : null));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> account(@RestPath String id, @RestQuery String email, @RestQuery String before,
            @RestQuery String adjusted) {
        return page(Ids.uuid(id), email, Ids.orNull(before), "", "", adjustedNotice(adjusted), FormProblem.NONE);
    }

    /**
     * Credits or debits the account, then back to its page (303) saying what was done. The form's {@code request_id},
     * made when the form was drawn, is the API's Idempotency-Key: a double submit or a re-sent form moves money once.
     */
    @POST
    @Path("{id}/adjust")
    public Uni<Response> adjust(@RestPath String id, @RestForm String email, @RestForm String amount,
            @RestForm String direction, @RestForm String reason, @RestForm("request_id") String requestId) {
        String account = Ids.uuid(id);
        Long cents = WalletResource.cents(amount);
        if (cents == null || cents == 0) {
            return page(account, email, null, amount, reason, null,
                    new FormProblem("amount_cents", "Write the amount in dollars, e.g. 5 or 2.50."))
                    .map(page -> Pages.render(422, page));
        }
        long signed = "debit".equals(direction) ? -cents : cents;
        String idempotencyKey = Ids.uuidOr(requestId, UUID.randomUUID().toString());
        return api.adjust(pages.bearer(), account, idempotencyKey,
                new Adjustment(signed, reason == null ? "" : reason.trim()))
                .map(ignored -> pages.seeOther("/app/admin/accounts/" + account + "?email="
                        + URLEncoder.encode(email == null ? "" : email.trim(), StandardCharsets.UTF_8)
                        + "&adjusted=" + signed))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(
                        error -> error.status() == 409
                                ? new FormProblem("amount_cents", "That would take the balance below zero.")
                                : Pages.problem(error, FIELDS),
                        problem -> page(account, email, null, amount, reason, null, problem), 403, 404));
    }

    /** What the page says after an adjustment ({@code adjusted}: its signed cents), or null. */
    static String adjustedNotice(String adjusted) {
        long signed;
        try {
            signed = Long.parseLong(adjusted == null ? "" : adjusted.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        if (signed == 0 || signed == Long.MIN_VALUE) {
            return null;
        }
        return (signed < 0 ? "Debited " : "Credited ") + Money.usd(Math.abs(signed)) + ".";
    }

    /**
     * One account's page. The admin API finds accounts by email, so the page's address carries the email the list
     * linked from, and the account (with its balance) is the search result with this id: 404 otherwise.
     */
    private Uni<TemplateInstance> page(String id, String email, String before, String amount, String reason,
            String notice, FormProblem problem) {
        String bearer = pages.bearer();
        int size = config.pageSize();
        String search = email == null || email.isBlank() ? null : email.trim();
        Uni<AdminAccount> account = search == null
                ? Uni.createFrom().failure(new ApiError(404, "Not found"))
                : api.accounts(bearer, search, null, 200).map(list -> list.stream()
                        .filter(a -> a.id().equals(id)).findFirst()
                        .orElseThrow(() -> new ApiError(404, "Not found")));
        return Uni.combine().all()
                .unis(pages.admin("Account", "admin-accounts"), account, api.accountLedger(bearer, id, size, before))
                .asTuple().map(t -> Templates.account(t.getItem1(), t.getItem2(), t.getItem3(),
                        t.getItem3().size() == size ? t.getItem3().get(size - 1).id() : null,
                        amount == null ? "" : amount, reason == null ? "" : reason, UUID.randomUUID().toString(),
                        notice, problem));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
