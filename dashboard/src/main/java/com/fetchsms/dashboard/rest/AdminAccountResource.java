package com.fetchsms.dashboard.rest;

import java.util.List;

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

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accounts(Page page, String email, List<AdminAccount> accounts, String next);

        static native TemplateInstance account(Page page, AdminAccount account, List<AdminLedgerEntry> entries,
                String older, String amount, String reason, String notice, FormProblem problem);
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
                .unis(pages.admin("Accounts", "admin"),
                        api.accounts(bearer, search.isEmpty() ? null : search, blankToNull(after), size))
                .asTuple().map(t -> Templates.accounts(t.getItem1(), search, t.getItem2(),
                        t.getItem2().size() == size ? t.getItem2().get(size - 1).email() : null));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> account(@RestPath String id, @RestQuery String email, @RestQuery String before) {
        return page(Ids.uuid(id), email, Ids.orNull(before), "", "", null, FormProblem.NONE);
    }

    @POST
    @Path("{id}/adjust")
    public Uni<Response> adjust(@RestPath String id, @RestForm String email, @RestForm String amount,
            @RestForm String direction, @RestForm String reason) {
        String account = Ids.uuid(id);
        Long cents = WalletResource.cents(amount);
        if (cents == null || cents == 0) {
            return page(account, email, null, amount, reason, null,
                    new FormProblem("amount_cents", "Write the amount in dollars, e.g. 5 or 2.50."))
                    .map(page -> Response.status(422).entity(page.render()).build());
        }
        long signed = "debit".equals(direction) ? -cents : cents;
        return api.adjust(pages.bearer(), account, new Adjustment(signed, reason == null ? "" : reason.trim()))
                .flatMap(ignored -> page(account, email, null, "", "", (signed < 0 ? "Debited " : "Credited ")
                        + com.fetchsms.dashboard.service.Money.usd(Math.abs(signed)) + ".", FormProblem.NONE))
                .map(page -> Response.ok(page.render()).build())
                .onFailure(ApiError.class).recoverWithUni(failure -> {
                    ApiError error = (ApiError) failure;
                    if (error.status() == 401 || error.status() == 403 || error.status() == 404) {
                        return Uni.createFrom().failure(failure);
                    }
                    FormProblem problem = error.status() == 409
                            ? new FormProblem("amount_cents", "That would take the balance below zero.")
                            : Pages.problem(error, List.of("amount_cents", "reason"));
                    return page(account, email, null, amount, reason, null, problem)
                            .map(page -> Response.status(error.status()).entity(page.render()).build());
                });
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
                .unis(pages.admin("Account", "admin"), account, api.accountLedger(bearer, id, size, before))
                .asTuple().map(t -> Templates.account(t.getItem1(), t.getItem2(), t.getItem3(),
                        t.getItem3().size() == size ? t.getItem3().get(size - 1).id() : null,
                        amount == null ? "" : amount, reason == null ? "" : reason, notice, problem));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
