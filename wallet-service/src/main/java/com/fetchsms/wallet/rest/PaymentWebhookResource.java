package com.fetchsms.wallet.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import com.fetchsms.wallet.domain.Deposit;
import com.fetchsms.wallet.service.DepositService;

import io.smallrye.mutiny.Uni;

/**
 * Payment providers confirm deposits here. No session: each call is authenticated by the provider's signature over the
 * raw body (HMAC-SHA256 with a configured secret). Idempotent: the same confirmation twice credits once.
 */
@Path("/v1/wallet/deposits/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentWebhookResource {

    private final DepositService deposits;

    public PaymentWebhookResource(DepositService deposits) {
        this.deposits = deposits;
    }

    @POST
    @Path("/{provider}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Deposit> notify(@RestPath String provider, String body, HttpHeaders headers) {
        return deposits.notify(provider, body, headers::getHeaderString);
    }
}
