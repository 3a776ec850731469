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
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.SupportTicket;
import com.fetchsms.dashboard.domain.TicketReply;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/** Operators: the support queue (tickets waiting for an answer first), answering and closing a ticket. */
@Path("/admin/support")
@Produces(MediaType.TEXT_HTML)
public class AdminSupportResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(Page page, String status, List<SupportTicket> tickets, String older);

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
    public Uni<TemplateInstance> queue(@RestQuery String status, @RestQuery String before) {
        String shown = status == null || !List.of("open", "answered", "closed").contains(status) ? "open" : status;
        int size = config.pageSize();
        return Uni.combine().all()
                .unis(pages.admin("Support queue", "admin-support"),
                        api.supportQueue(pages.bearer(), shown, size, Ids.orNull(before)))
                .asTuple().map(t -> Templates.queue(t.getItem1(), shown, t.getItem2(),
                        t.getItem2().size() == size ? t.getItem2().get(size - 1).id() : null));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> ticket(@RestPath String id) {
        return page(Ids.uuid(id), "", FormProblem.NONE);
    }

    @POST
    @Path("{id}/answer")
    public Uni<Response> answer(@RestPath String id, @RestForm String body) {
        String ticket = Ids.uuid(id);
        return act(ticket, body,
                api.answerTicket(pages.bearer(), ticket, new TicketReply(SupportResource.trim(body))));
    }

    @POST
    @Path("{id}/close")
    public Uni<Response> close(@RestPath String id) {
        String ticket = Ids.uuid(id);
        return act(ticket, "", api.closeTicketAsOperator(pages.bearer(), ticket));
    }

    private Uni<Response> act(String id, String body, Uni<SupportTicket> action) {
        return action.map(t -> pages.seeOther("/app/admin/support/" + t.id()))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(Pages.naming(List.of("body")),
                        problem -> page(id, body, problem), 403, 404));
    }

    private Uni<TemplateInstance> page(String id, String reply, FormProblem problem) {
        return Uni.combine().all()
                .unis(pages.admin("Support ticket", "admin-support"), api.supportTicket(pages.bearer(), id)).asTuple()
                .map(t -> Templates.ticket(t.getItem1(), t.getItem2(), reply == null ? "" : reply, problem));
    }
}
