package com.fetchsms.wallet.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.security.ApiKeyLookup;
import com.fetchsms.common.security.ApiKeyView;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.ApiKey;
import com.fetchsms.wallet.domain.IssuedApiKey;
import com.fetchsms.common.contract.KeyIntrospection;
import com.fetchsms.common.contract.KeyUsage;
import com.fetchsms.wallet.repository.AccountRepository;
import com.fetchsms.wallet.repository.ApiKeyRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * API keys: issued and revoked by their owner, each change published on the compacted {@code api-key.changed} topic
 * (keyed by the key's hash) in the same transaction, so the services that accept keys keep a local view and a revoked
 * key stops working everywhere within the relay's latency. Introspection answers a cache miss; usage arrives in
 * batches. A test key ({@code mode: test}) belongs to the customer's sandbox twin, made with the first one
 * ({@link SandboxService}); the customer lists and revokes both kinds with its session.
 *
 * <p>
 * This service takes keys itself on its sandbox routes: it is the {@link ApiKeyLookup} here, answering from its own
 * database instead of a credential view (which it does not run: {@code fetchsms.api-keys.view=false}).
 */
@ApplicationScoped
public class ApiKeyService implements ApiKeyLookup {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Pool pool;
    private final AccountRepository accounts;
    private final ApiKeyRepository keys;
    private final Outbox outbox;
    private final WalletConfig config;
    private final SandboxService sandbox;

    public ApiKeyService(Pool pool, AccountRepository accounts, ApiKeyRepository keys, Outbox outbox,
            WalletConfig config, SandboxService sandbox) {
        this.sandbox = sandbox;
        this.pool = pool;
        this.accounts = accounts;
        this.keys = keys;
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * Issues a key of the customer: {@code mode} {@code live} (or absent) for its own account, {@code test} for its
     * sandbox twin, made in the same transaction on the first test key. The answer is the only place the key ever
     * appears.
     */
    public Uni<IssuedApiKey> issue(UUID accountId, String name, String mode) {
        KeyMode keyMode = mode(mode);
        if (name == null) {
            throw ApiException.badRequest("'name' is required");
        }
        String trimmed = TextGuard.singleLine(name.strip(), "name");
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > 100) {
            throw ApiException.unprocessable("'name' must be 1 to 100 characters");
        }
        String key = ApiKeys.generate(keyMode);
        String hash = ApiKeys.hash(key);
        String prefix = ApiKeys.shownPrefix(key);
        int max = config.apiKeys().maxActivePerAccount();
        // the account row lock serialises concurrent issues, so the cap holds under races
        return pool.withTransaction(tx -> accounts.lock(tx, accountId).chain(exists -> {
            if (!exists) {
                return Uni.createFrom().failure(AccountService.unknownSession());
            }
            return keys.countActive(tx, accountId).chain(active -> {
                if (active >= max) {
                    return Uni.createFrom().failure(ApiException.unprocessable("An account may hold at most " + max
                            + " active API keys; revoke one first"));
                }
                Uni<UUID> owner = keyMode == KeyMode.TEST
                        ? sandbox.twinOf(tx, accountId)
                        : Uni.createFrom().item(accountId);
                return owner.chain(ownerId -> keys.insert(tx, UUID.randomUUID(), ownerId, trimmed, hash, prefix,
                        keyMode)
                        .call(created -> outbox.publish(tx, new ApiKeyChanged(hash, created.id(), ownerId, prefix,
                                ApiKeyChanged.ACTIVE, created.createdAt(), keyMode))));
            });
        })).map(created -> new IssuedApiKey(created.id(), created.name(), created.mode(), key, created.prefix(),
                created.createdAt()));
    }

    /** A key's mode as the client spells it: absent is {@code live}; anything but "live" or "test" is a 422. */
    static KeyMode mode(String mode) {
        if (mode == null) {
            return KeyMode.LIVE;
        }
        for (KeyMode candidate : KeyMode.values()) {
            if (candidate.code().equals(mode)) {
                return candidate;
            }
        }
        throw ApiException.unprocessable("'mode' must be \"live\" or \"test\"");
    }

    public Uni<List<ApiKey>> list(UUID accountId) {
        return keys.list(pool, accountId);
    }

    /** Revokes one of the caller's keys (idempotent); 404 for an unknown key or another account's. */
    public Uni<Void> revoke(UUID accountId, UUID keyId) {
        return pool.withTransaction(tx -> keys.revoke(tx, keyId, accountId).chain(revoked -> {
            if (revoked.isPresent()) {
                var key = revoked.get();
                return outbox.publish(tx, new ApiKeyChanged(key.keyHash(), key.id(), key.accountId(), key.prefix(),
                        ApiKeyChanged.REVOKED, key.changedAt(), key.mode())).replaceWithVoid();
            }
            return keys.exists(tx, keyId, accountId).chain(exists -> exists
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(notFound(keyId)));
        }));
    }

    /** The key with this hash (active or revoked); 404 when none. */
    public Uni<KeyIntrospection> introspect(String keyHash) {
        if (keyHash == null || keyHash.isBlank()) {
            throw ApiException.badRequest("'key_hash' is required");
        }
        String hash = keyHash.trim().toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(hash).matches()) {
            throw ApiException.unprocessable("'key_hash' must be the hex SHA-256 of the key (64 characters)");
        }
        return keys.introspect(pool, hash).map(found -> found.orElseThrow(() -> ApiException.notFound("Unknown key")));
    }

    /** Applies a batch of usage reports in one statement; unknown key ids are ignored. */
    public Uni<Void> recordUsage(List<KeyUsage> usages) {
        if (usages == null) {
            throw ApiException.badRequest("'usages' is required");
        }
        int max = config.apiKeys().maxUsageBatch();
        if (usages.size() > max) {
            throw ApiException.unprocessable("At most " + max + " usage reports per request");
        }
        if (usages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = new UUID[usages.size()];
        Instant[] times = new Instant[usages.size()];
        for (int i = 0; i < usages.size(); i++) {
            KeyUsage usage = usages.get(i);
            if (usage == null || usage.keyId() == null || usage.lastUsedAt() == null) {
                throw ApiException.badRequest("usages[" + i + "] needs 'key_id' and 'last_used_at'");
            }
            ids[i] = usage.keyId();
            times[i] = usage.lastUsedAt();
        }
        return keys.recordUsage(pool, ids, times).replaceWithVoid();
    }

    /** A key presented to this service (its sandbox routes): its state from the database; empty when unknown. */
    @Override
    public Uni<Optional<ApiKeyView.KeyState>> find(String keyHash) {
        return keys.introspect(pool, keyHash).map(found -> found.map(key -> new ApiKeyView.KeyState(key.keyId(),
                key.accountId(), key.prefix(), ApiKeyChanged.ACTIVE.equals(key.status()), key.mode())));
    }

    /** A use of a key here: recorded at once (the sandbox routes are few), {@code last_used_at} only moves forward. */
    @Override
    public void recordUse(UUID keyId) {
        keys.recordUsage(pool, new UUID[]{keyId}, new Instant[]{Instant.now()}).subscribe().with(
                ignored -> {
                }, failure -> LOG.debugf("Last use of key %s not recorded: %s", keyId, failure.getMessage()));
    }

    private static ApiException notFound(UUID keyId) {
        return ApiException.notFound("No API key " + keyId);
    }
}
