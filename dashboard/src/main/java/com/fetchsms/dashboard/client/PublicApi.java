package com.fetchsms.dashboard.client;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.client.SseEvent;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.dashboard.domain.Account;
import com.fetchsms.dashboard.domain.AdminAccount;
import com.fetchsms.dashboard.domain.AdminLedgerEntry;
import com.fetchsms.dashboard.domain.Adjustment;
import com.fetchsms.dashboard.domain.GatewayCredentials;
import com.fetchsms.dashboard.domain.GatewayMessage;
import com.fetchsms.dashboard.domain.GatewayName;
import com.fetchsms.dashboard.domain.ImportResult;
import com.fetchsms.dashboard.domain.InventoryNumber;
import com.fetchsms.dashboard.domain.ModemGateway;
import com.fetchsms.dashboard.domain.NumberHealth;
import com.fetchsms.dashboard.domain.NumberImport;
import com.fetchsms.dashboard.domain.Quote;
import com.fetchsms.dashboard.domain.NewTicket;
import com.fetchsms.dashboard.domain.ServiceChange;
import com.fetchsms.dashboard.domain.SupportTicket;
import com.fetchsms.dashboard.domain.TicketReply;
import com.fetchsms.dashboard.domain.ApiKey;
import com.fetchsms.dashboard.domain.Credentials;
import com.fetchsms.dashboard.domain.Deposit;
import com.fetchsms.dashboard.domain.DepositOrder;
import com.fetchsms.dashboard.domain.IssuedApiKey;
import com.fetchsms.dashboard.domain.LedgerEntry;
import com.fetchsms.dashboard.domain.IssuedWebhook;
import com.fetchsms.dashboard.domain.NewApiKey;
import com.fetchsms.dashboard.domain.NewWebhook;
import com.fetchsms.dashboard.domain.PasswordChange;
import com.fetchsms.dashboard.domain.Rental;
import com.fetchsms.dashboard.domain.RentalMessage;
import com.fetchsms.dashboard.domain.RentalOrder;
import com.fetchsms.dashboard.domain.RotatedSecret;
import com.fetchsms.dashboard.domain.WebhookDelivery;
import com.fetchsms.dashboard.domain.WebhookEndpoint;
import com.fetchsms.dashboard.domain.Report;
import com.fetchsms.dashboard.domain.ServiceListing;
import com.fetchsms.dashboard.domain.SessionToken;
import com.fetchsms.dashboard.domain.Verification;
import com.fetchsms.dashboard.domain.VerificationOrder;
import com.fetchsms.dashboard.domain.Wallet;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The public API, through the gateway ({@code fetchsms.dashboard.api-url}): the only way the dashboard reaches the
 * platform. {@code bearer} is {@code "Bearer <session>"} of the signed-in customer. A refusal is an {@link ApiError}
 * carrying the API's status and {@code detail}. Every call carries the gateway's voucher for the browser's address
 * when the browser's request brought one ({@link ClientAddressRelay}).
 */
@RegisterRestClient(configKey = "public-api")
@RegisterClientHeaders(ClientAddressRelay.class)
@Path("/v1")
public interface PublicApi {

    @GET
    @Path("/services")
    Uni<List<ServiceListing>> services();

    @GET
    @Path("/services/area-codes")
    Uni<List<String>> areaCodes(@RestQuery String mode, @RestQuery String service);

    @GET
    @Path("/services/quote")
    Uni<Quote> quote(@RestQuery String service, @RestQuery String mode, @RestQuery Integer days,
            @RestQuery("custom_area_code") boolean customAreaCode);

    @POST
    @Path("/auth/signup")
    Uni<Account> signup(Credentials credentials);

    @POST
    @Path("/auth/login")
    Uni<SessionToken> login(Credentials credentials);

    @POST
    @Path("/auth/logout")
    Uni<Void> logout(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/account")
    Uni<Account> account(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/wallet")
    Uni<Wallet> wallet(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/wallet/ledger")
    Uni<List<LedgerEntry>> ledger(@HeaderParam("Authorization") String bearer, @RestQuery Integer limit,
            @RestQuery String before);

    @POST
    @Path("/wallet/deposits")
    Uni<Deposit> deposit(@HeaderParam("Authorization") String bearer,
            @HeaderParam("Idempotency-Key") String idempotencyKey, DepositOrder order);

    @GET
    @Path("/wallet/deposits/{id}")
    Uni<Deposit> deposit(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/api-keys")
    Uni<List<ApiKey>> apiKeys(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/api-keys")
    Uni<IssuedApiKey> createApiKey(@HeaderParam("Authorization") String bearer, NewApiKey key);

    @DELETE
    @Path("/api-keys/{id}")
    Uni<Void> revokeApiKey(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/verifications")
    Uni<List<Verification>> verifications(@HeaderParam("Authorization") String bearer, @RestQuery String tab,
            @RestQuery Integer limit, @RestQuery String before);

    @POST
    @Path("/verifications")
    Uni<Verification> buyVerification(@HeaderParam("Authorization") String bearer,
            @HeaderParam("Idempotency-Key") String idempotencyKey, VerificationOrder order);

    @GET
    @Path("/verifications/{id}")
    Uni<Verification> verification(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/verifications/{id}/cancel")
    Uni<Verification> cancelVerification(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/verifications/{id}/another-code")
    Uni<Verification> anotherCode(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/verifications/{id}/report")
    Uni<Verification> reportVerification(@HeaderParam("Authorization") String bearer, @RestPath String id,
            Report report);

    @POST
    @Path("/auth/logout-all")
    Uni<Void> logoutAll(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/account/password")
    Uni<SessionToken> changePassword(@HeaderParam("Authorization") String bearer, PasswordChange change);

    @GET
    @Path("/rentals")
    Uni<List<Rental>> rentals(@HeaderParam("Authorization") String bearer, @RestQuery String tab,
            @RestQuery Integer limit, @RestQuery String before);

    @POST
    @Path("/rentals")
    Uni<Rental> rent(@HeaderParam("Authorization") String bearer,
            @HeaderParam("Idempotency-Key") String idempotencyKey, RentalOrder order);

    @GET
    @Path("/rentals/{id}")
    Uni<Rental> rental(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/rentals/{id}/messages")
    Uni<List<RentalMessage>> rentalMessages(@HeaderParam("Authorization") String bearer, @RestPath String id,
            @RestQuery Integer limit);

    @POST
    @Path("/rentals/{id}/cancel")
    Uni<Rental> cancelRental(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/rentals/{id}/report")
    Uni<Rental> reportRental(@HeaderParam("Authorization") String bearer, @RestPath String id, Report report);

    @GET
    @Path("/webhooks")
    Uni<List<WebhookEndpoint>> webhooks(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/webhooks")
    Uni<IssuedWebhook> addWebhook(@HeaderParam("Authorization") String bearer, NewWebhook webhook);

    @DELETE
    @Path("/webhooks/{id}")
    Uni<Void> removeWebhook(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/webhooks/{id}/test")
    Uni<Void> testWebhook(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/webhooks/{id}/rotate-secret")
    Uni<RotatedSecret> rotateWebhookSecret(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/webhooks/{id}/deliveries")
    Uni<List<WebhookDelivery>> webhookDeliveries(@HeaderParam("Authorization") String bearer,
            @RestPath String id);

    @POST
    @Path("/webhooks/deliveries/{id}/retry")
    Uni<Void> retryDelivery(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/admin/gateways")
    Uni<List<ModemGateway>> gateways(@HeaderParam("Authorization") String bearer);

    @POST
    @Path("/admin/gateways")
    Uni<GatewayCredentials> registerGateway(@HeaderParam("Authorization") String bearer, GatewayName name);

    @POST
    @Path("/admin/gateways/{id}/rotate")
    Uni<GatewayCredentials> rotateGateway(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/admin/gateways/{id}/messages")
    Uni<List<GatewayMessage>> gatewayMessages(@HeaderParam("Authorization") String bearer, @RestPath String id,
            @RestQuery Integer limit);

    @GET
    @Path("/admin/numbers")
    Uni<List<InventoryNumber>> numbers(@HeaderParam("Authorization") String bearer,
            @RestQuery("area_code") String areaCode, @RestQuery String after, @RestQuery Integer limit);

    @POST
    @Path("/admin/numbers")
    Uni<ImportResult> importNumbers(@HeaderParam("Authorization") String bearer, NumberImport numbers);

    @DELETE
    @Path("/admin/numbers/{number}")
    Uni<Void> retireNumber(@HeaderParam("Authorization") String bearer, @RestPath String number);

    @GET
    @Path("/admin/numbers/{number}/health")
    Uni<NumberHealth> numberHealth(@HeaderParam("Authorization") String bearer, @RestPath String number);

    @PUT
    @Path("/admin/services/{id}")
    Uni<Void> changeService(@HeaderParam("Authorization") String bearer, @RestPath int id, ServiceChange change);

    @GET
    @Path("/admin/accounts")
    Uni<List<AdminAccount>> accounts(@HeaderParam("Authorization") String bearer, @RestQuery String email,
            @RestQuery String after, @RestQuery Integer limit);

    @GET
    @Path("/admin/accounts/{id}/ledger")
    Uni<List<AdminLedgerEntry>> accountLedger(@HeaderParam("Authorization") String bearer, @RestPath String id,
            @RestQuery Integer limit, @RestQuery String before);

    @POST
    @Path("/admin/accounts/{id}/credits")
    Uni<Void> adjust(@HeaderParam("Authorization") String bearer, @RestPath String id,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Adjustment adjustment);

    @GET
    @Path("/support/tickets")
    Uni<List<SupportTicket>> tickets(@HeaderParam("Authorization") String bearer, @RestQuery Integer limit,
            @RestQuery String before);

    @POST
    @Path("/support/tickets")
    Uni<SupportTicket> openTicket(@HeaderParam("Authorization") String bearer, NewTicket ticket);

    @GET
    @Path("/support/tickets/{id}")
    Uni<SupportTicket> ticket(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/support/tickets/{id}/messages")
    Uni<SupportTicket> replyToTicket(@HeaderParam("Authorization") String bearer, @RestPath String id,
            TicketReply reply);

    @POST
    @Path("/support/tickets/{id}/close")
    Uni<SupportTicket> closeTicket(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @GET
    @Path("/admin/support/tickets")
    Uni<List<SupportTicket>> supportQueue(@HeaderParam("Authorization") String bearer, @RestQuery String status,
            @RestQuery Integer limit, @RestQuery String before);

    @GET
    @Path("/admin/support/tickets/{id}")
    Uni<SupportTicket> supportTicket(@HeaderParam("Authorization") String bearer, @RestPath String id);

    @POST
    @Path("/admin/support/tickets/{id}/messages")
    Uni<SupportTicket> answerTicket(@HeaderParam("Authorization") String bearer, @RestPath String id,
            TicketReply reply);

    @POST
    @Path("/admin/support/tickets/{id}/close")
    Uni<SupportTicket> closeTicketAsOperator(@HeaderParam("Authorization") String bearer, @RestPath String id);

    /** The account's event stream, from its next event on (or after {@code lastEventId}). */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    Multi<SseEvent<String>> events(@HeaderParam("Authorization") String bearer,
            @HeaderParam("Last-Event-ID") String lastEventId);

    /** A refusal as {@link ApiError}: the API's status and its {@code detail} (or the status's reason). */
    @ClientExceptionMapper
    static RuntimeException toApiError(Response response) {
        String detail = null;
        try {
            if (response.hasEntity()) {
                JsonNode body = response.readEntity(JsonNode.class);
                if (body != null && body.hasNonNull("detail")) {
                    detail = body.get("detail").asText();
                }
            }
        } catch (RuntimeException unreadable) {
            // Not JSON (an HTTP-level refusal): the status's reason says enough.
        }
        return new ApiError(response.getStatus(),
                detail != null ? detail : response.getStatusInfo().getReasonPhrase());
    }
}
