package com.fetchsms.wallet.service;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.config.AdminConfig;
import com.fetchsms.wallet.config.WalletConfig;
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

    /** Passwords that appear in this repository's documentation and in every guessing list. */
    static final Set<String> KNOWN_DEFAULTS = Set.of("admin-password", "admin", "password", "changeme", "change-me",
            "admin123", "administrator", "fetchsms");

    private final AdminConfig config;
    private final AccountService accounts;
    private final AccountRepository repository;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final Pool pool;
    private final WalletConfig walletConfig;

    public AdminBootstrap(AdminConfig config, AccountService accounts, AccountRepository repository,
            PasswordHasher hasher, SessionTokens tokens, Pool pool, WalletConfig walletConfig) {
        this.walletConfig = walletConfig;
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
        refuseInsecurePassword(config);
        try {
            ensureAdmin(config.email().get(), config.password().get());
        } catch (ApiException e) {
            LOG.errorf("The configured administrator was not created: %s", e.detail());
        }
    }

    /**
     * Stops the start (an exception out of the startup observer) when the configured administrator password is a
     * well-known default or breaks the password rules, unless local development allows it
     * ({@code FETCHSMS_ADMIN_ALLOW_INSECURE_PASSWORD=true}): then it only warns.
     */
    public void refuseInsecurePassword(AdminConfig admin) {
        String password = admin.password().orElse("");
        String problem = null;
        if (KNOWN_DEFAULTS.contains(password.trim().toLowerCase(Locale.ROOT))) {
            problem = "FETCHSMS_ADMIN_PASSWORD is a well-known default password";
        } else {
            try {
                accounts.checkPassword(password, AccountService.validEmail(admin.email().orElse("")));
            } catch (ApiException e) {
                problem = "FETCHSMS_ADMIN_PASSWORD is refused: " + e.detail();
            }
        }
        if (problem == null) {
            return;
        }
        if (admin.allowInsecurePassword()) {
            LOG.warnf("%s; allowed because FETCHSMS_ADMIN_ALLOW_INSECURE_PASSWORD=true (local development only)",
                    problem);
            return;
        }
        String refusal = problem + ": set a strong one (at least " + config().minLength()
                + " characters) or, for local development only, FETCHSMS_ADMIN_ALLOW_INSECURE_PASSWORD=true."
                + " wallet-service does not start";
        LOG.error(refusal);
        throw new IllegalStateException(refusal);
    }

    private WalletConfig.Passwords config() {
        return walletConfig.passwords();
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
