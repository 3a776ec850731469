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
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.NewTicket;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.SupportTicket;
import com.fetchsms.dashboard.domain.TicketReply;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/** Customers' support: opening a ticket, the conversation with the operators, replying, closing. */
@Path("/support")
@Produces(MediaType.TEXT_HTML)
public class SupportResource {

    private static final List<String> FIELDS = List.of("subject", "body");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tickets(Page page, List<SupportTicket> tickets, String older, String subject,
                String body, FormProblem problem);

        static native TemplateInstance ticket(Page page, SupportTicket ticket, String reply, FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    DashboardConfig config;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> tickets(@RestQuery String before) {
        return list(Ids.orNull(before), "", "", FormProblem.NONE);
    }

    @POST
    public Uni<Response> open(@RestForm String subject, @RestForm String body) {
        return api.openTicket(pages.bearer(), new NewTicket(trim(subject), trim(body)))
                .map(ticket -> pages.seeOther("/app/support/" + ticket.id()))
                .onFailure(ApiError.class).recoverWithUni(
                        Pages.reshow(Pages.naming(FIELDS), problem -> list(null, subject, body, problem)));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> ticket(@RestPath String id) {
        return page(Ids.uuid(id), "", FormProblem.NONE);
    }

    @POST
    @Path("{id}/reply")
    public Uni<Response> reply(@RestPath String id, @RestForm String body) {
        String ticket = Ids.uuid(id);
        return act(ticket, body, api.replyToTicket(pages.bearer(), ticket, new TicketReply(trim(body))));
    }

    @POST
    @Path("{id}/close")
    public Uni<Response> close(@RestPath String id) {
        String ticket = Ids.uuid(id);
        return act(ticket, "", api.closeTicket(pages.bearer(), ticket));
    }

    private Uni<Response> act(String id, String body, Uni<SupportTicket> action) {
        return action.map(t -> pages.seeOther("/app/support/" + t.id()))
                .onFailure(ApiError.class).recoverWithUni(
                        Pages.reshow(Pages.naming(FIELDS), problem -> page(id, body, problem), 404));
    }

    private Uni<TemplateInstance> list(String before, String subject, String body, FormProblem problem) {
        String bearer = pages.bearer();
        int size = config.pageSize();
        return Uni.combine().all()
                .unis(pages.signedIn("Support", "support"), api.tickets(bearer, size, before)).asTuple()
                .map(t -> Templates.tickets(t.getItem1(), t.getItem2(),
                        t.getItem2().size() == size ? t.getItem2().get(size - 1).id() : null,
                        subject == null ? "" : subject, body == null ? "" : body, problem));
    }

    private Uni<TemplateInstance> page(String id, String reply, FormProblem problem) {
        return Uni.combine().all()
                .unis(pages.signedIn("Support ticket", "support"), api.ticket(pages.bearer(), id)).asTuple()
                .map(t -> Templates.ticket(t.getItem1(), t.getItem2(), reply == null ? "" : reply, problem));
    }

    static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
