package com.fetchsms.common.client;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/** wallet-service's internal debit API; idempotent on the purchase id. */
@ApplicationScoped
public class WalletClient {

    private final Vertx vertx;
    private final ServicesConfig config;
    private WebClient client;

    public WalletClient(Vertx vertx, ServicesConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @PostConstruct
    void init() {
        client = InternalClients.create(vertx, config);
    }

    /** Debits {@code amountCents} for a purchase: 201 (or 200 on a retry), 402 when the balance is short. */
    public Uni<Upstream> debit(UUID purchaseId, UUID accountId, int amountCents, String ref) {
        JsonObject body = new JsonObject().put("purchase_id", purchaseId.toString())
                .put("account_id", accountId.toString()).put("amount_cents", amountCents).put("ref", ref);
        return client.postAbs(config.walletUrl() + "/internal/debits").timeout(config.callTimeout().toMillis())
                .sendJsonObject(body)
                .onFailure().transform(f -> new UpstreamUnavailableException(
                        "wallet-service unreachable: " + f.getMessage()))
                .map(response -> Upstream.of("wallet-service", response));
    }
}
