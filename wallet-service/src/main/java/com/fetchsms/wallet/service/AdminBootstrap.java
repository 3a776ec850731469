package com.fetchsms.wallet.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.config.AdminConfig;
import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.repository.AccountRepository;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Creates the first administrator from {@code FETCHSMS_ADMIN_EMAIL} / {@code FETCHSMS_ADMIN_PASSWORD} at start when
 * absent. Idempotent across restarts and replicas ({@code INSERT … ON CONFLICT DO NOTHING}); an existing account is
 * never changed, so the configured password does not overwrite one the administrator has since chosen, and an
 * address someone else registered first is never promoted.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final AdminConfig config;
    private final AccountService accounts;
    private final AccountRepository repository;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final Pool pool;

    public AdminBootstrap(AdminConfig config, AccountService accounts, AccountRepository repository,
            PasswordHasher hasher, SessionTokens tokens, Pool pool) {
        this.config = config;
        this.accounts = accounts;
        this.repository = repository;
        this.hasher = hasher;
        this.tokens = tokens;
        this.pool = pool;
    }

    /** Runs on the main thread at start, where blocking is allowed. */
    void onStart(@Observes StartupEvent event) {
        tokens.canSign();
        if (config.email().isEmpty() || config.password().isEmpty()) {
            LOG.warn("FETCHSMS_ADMIN_EMAIL / FETCHSMS_ADMIN_PASSWORD are not set: no administrator is created");
            return;
        }
        try {
            ensureAdmin(config.email().get(), config.password().get());
        } catch (ApiException e) {
            LOG.errorf("The configured administrator was not created: %s", e.detail());
        }
    }

    /** Creates the administrator unless the address exists; answers whether it was created now. Blocking. */
    public boolean ensureAdmin(String email, String password) {
        String address = AccountService.validEmail(email);
        accounts.checkPassword(password, address);
        var existing = repository.findByEmail(pool, address).await().atMost(Duration.ofSeconds(30));
        if (existing.isPresent()) {
            if (!Account.ADMIN.equals(existing.get().role())) {
                LOG.warnf("%s is a customer account, not an administrator; it is left as it is", address);
            }
            return false;
        }
        boolean created = accounts.create(address, hasher.hash(password), Account.ADMIN)
                .await().atMost(Duration.ofSeconds(30)).isPresent();
        if (created) {
            LOG.infof("Administrator %s created", address);
        }
        return created;
    }
}
