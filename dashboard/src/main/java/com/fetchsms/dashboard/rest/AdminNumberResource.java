package com.fetchsms.dashboard.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
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
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.ImportResult;
import com.fetchsms.dashboard.domain.InventoryNumber;
import com.fetchsms.dashboard.domain.ModemGateway;
import com.fetchsms.dashboard.domain.NumberHealth;
import com.fetchsms.dashboard.domain.NumberImport;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.NumberLines;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Operators: the inventory — importing numbers for a modem gateway by pasting them or uploading a CSV, with a report
 * of every line that was not imported and why; the numbers by area code; one number's health per service; retiring a
 * number.
 */
@Path("/admin/numbers")
@Produces(MediaType.TEXT_HTML)
public class AdminNumberResource {

    /** The largest upload read (a CSV of 10,000 numbers with a few columns is far below it). */
    static final int MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

    private static final List<String> IMPORT_FIELDS = List.of("gateway_id", "numbers");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance numbers(Page page, List<InventoryNumber> numbers, String areaCode,
                String next, List<ModemGateway> gateways, String gatewayId, Report report, FormProblem problem);

        static native TemplateInstance health(Page page, NumberHealth health);
    }

    /** The per-line report of an import. */
    public record Report(int added, int skipped, List<Rejected> rejected) {
    }

    /** A line that was not imported. */
    public record Rejected(String where, String value, String reason) {
    }

    @Inject
    Pages pages;

    @Inject
    DashboardConfig config;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> numbers(@RestQuery("area_code") String areaCode, @RestQuery String after) {
        return page(areaCode, after, null, null, FormProblem.NONE);
    }

    /** Reads the uploaded file (a worker thread: a file on disk), then imports as a paste would. */
    @POST
    @Path("import")
    @Blocking
    public Uni<Response> importNumbers(@RestForm("gateway_id") String gatewayId, @RestForm("numbers") String pasted,
            @RestForm("file") FileUpload file) {
        List<NumberLines.Line> lines = new ArrayList<>(NumberLines.parse(pasted, "line"));
        if (file != null && file.size() > 0) {
            if (file.size() > MAX_UPLOAD_BYTES) {
                return problem(413, gatewayId, new FormProblem("file", "The file is larger than 2 MB."));
            }
            try {
                lines.addAll(NumberLines.parse(Files.readString(file.uploadedFile(), StandardCharsets.UTF_8),
                        "file line"));
            } catch (IOException e) {
                return problem(422, gatewayId, new FormProblem("file", "The file could not be read as UTF-8 text."));
            }
        }
        if (lines.isEmpty()) {
            return problem(422, gatewayId,
                    new FormProblem("numbers", "Paste at least one number, or choose a CSV file."));
        }
        List<String> values = lines.stream().map(NumberLines.Line::value).toList();
        return api.importNumbers(pages.bearer(), new NumberImport(gatewayId, values, "skip"))
                .flatMap(result -> page(null, null, gatewayId, report(lines, result), FormProblem.NONE))
                .map(page -> Pages.render(200, page))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(Pages.naming(IMPORT_FIELDS),
                        problem -> page(null, null, gatewayId, null, problem), 403));
    }

    @GET
    @Path("{number}")
    public Uni<TemplateInstance> health(@RestPath String number) {
        return Uni.combine().all()
                .unis(pages.admin("Number health", "admin-numbers"), api.numberHealth(pages.bearer(), number))
                .asTuple().map(t -> Templates.health(t.getItem1(), t.getItem2()));
    }

    @POST
    @Path("{number}/retire")
    public Uni<Response> retire(@RestPath String number) {
        return api.retireNumber(pages.bearer(), number).map(ignored -> pages.seeOther("/app/admin/numbers"))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(
                        error -> new FormProblem(null, number + ": " + error.detail()),
                        problem -> page(null, null, null, null, problem), 403));
    }

    /** Which lines were not imported: each entry the API listed as invalid, on the line it came from. */
    static Report report(List<NumberLines.Line> lines, ImportResult result) {
        List<Rejected> rejected = new ArrayList<>();
        List<String> invalid = new ArrayList<>(result.invalid() == null ? List.of() : result.invalid());
        for (NumberLines.Line line : lines) {
            if (invalid.remove(line.value())) {
                rejected.add(new Rejected(line.where(), line.value(), "not a US phone number"));
            }
        }
        return new Report(result.added(), result.skipped(), rejected);
    }

    private Uni<Response> problem(int status, String gatewayId, FormProblem problem) {
        return page(null, null, gatewayId, null, problem).map(page -> Pages.render(status, page));
    }

    /** The inventory page; {@code gatewayId}: the gateway the import form had chosen, chosen again. */
    private Uni<TemplateInstance> page(String areaCode, String after, String gatewayId, Report report,
            FormProblem problem) {
        String bearer = pages.bearer();
        String area = areaCode != null && areaCode.matches("\\d{3}") ? areaCode : null;
        String from = after != null && after.matches("\\+1\\d{10}") ? after : null;
        int size = config.pageSize();
        return Uni.combine().all()
                .unis(pages.admin("Numbers", "admin-numbers"), api.numbers(bearer, area, from, size),
                        api.gateways(bearer))
                .asTuple().map(t -> Templates.numbers(t.getItem1(), t.getItem2(), area == null ? "" : area,
                        t.getItem2().size() == size ? t.getItem2().get(size - 1).number() : null, t.getItem3(),
                        gatewayId == null ? "" : gatewayId, report, problem));
    }
}
