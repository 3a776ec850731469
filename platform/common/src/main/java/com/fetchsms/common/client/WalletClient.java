package com.fetchsms.common.client;

import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.contract.Balance;
import com.fetchsms.common.contract.Debit;
import com.fetchsms.common.contract.DebitRequest;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/** wallet-service's internal routes: debits (idempotent on the purchase id) and balances. */
@ApplicationScoped
public class WalletClient {

    private final Vertx vertx;
    private final ServicesConfig config;
    private final ObjectMapper mapper;
    private WebClient client;

    public WalletClient(Vertx vertx, ServicesConfig config, ObjectMapper mapper) {
        this.vertx = vertx;
        this.config = config;
        this.mapper = mapper;
    }

    @PostConstruct
    void init() {
        client = InternalClients.create(vertx, config);
    }

    /** Debits {@code amountCents} for a purchase: 201 (or 200 on a retry), 402 when the balance is short. */
    public Uni<Upstream<Debit>> debit(UUID purchaseId, UUID accountId, long amountCents, String ref) {
        return InternalClients.post(client, mapper, "wallet-service", config.walletUrl() + "/internal/debits",
                new DebitRequest(purchaseId, accountId, amountCents, ref), config.callTimeout(), Debit.class);
    }

    /** The account's balance: 200, or 404 when wallet-service knows no such account. */
    public Uni<Upstream<Balance>> balance(UUID accountId) {
        return InternalClients.get(client, mapper, "wallet-service", config.walletUrl() + "/internal/wallets/"
                + accountId, config.callTimeout(), Balance.class);
    }
}
