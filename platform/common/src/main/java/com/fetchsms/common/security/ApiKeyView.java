package com.fetchsms.common.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.client.InternalClients;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fetchsms.common.client.ServicesConfig;
import com.fetchsms.common.contract.KeyIntrospection;
import com.fetchsms.common.contract.KeyIntrospectionRequest;
import com.fetchsms.common.contract.KeyUsage;
import com.fetchsms.common.contract.KeyUsageReport;
import com.fetchsms.common.contract.SessionIntrospection;
import com.fetchsms.common.contract.SessionIntrospectionRequest;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.events.SessionRevoked;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.messaging.EventHops;
import com.fetchsms.common.messaging.KafkaClientProperties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * This replica's view of every API key, built from the compacted {@code api-key.changed} topic: the newest record
 * per key hash is its state. Authentication on the hot path is a map lookup; a revocation reaches the view within a
 * poll (≈100 ms). A key the view does not know yet (issued a moment ago) is introspected at wallet-service once and
 * cached. The last use of each key is kept in memory and reported to wallet-service in one request per period.
 *
 * <p>
 * <b>Fail closed when stale.</b> The view is <i>fresh</i> while it has, within the last
 * {@code fetchsms.api-keys.max-staleness}, confirmed that it has read every partition up to the end offsets the broker
 * reported (checked every {@link #FRESHNESS_CHECK}): every change written to the topic before that check is applied.
 * When it is not (broker unreachable, consumer stuck, not yet caught up at start), the view is never trusted alone:
 * each key is introspected at wallet-service, and a key that cannot be checked there is refused with 503.
 *
 * <p>
 * The same topic carries session sign-outs ({@code fetchsms.session.revoked.v1}): the view keeps signed-out session
 * ids and per-account "signed out everywhere" cut-offs until the tokens they cover expire, with the same rule when
 * stale (ask wallet-service, 503 when it cannot answer). Records of other types are skipped.
 */
@ApplicationScoped
public class ApiKeyView {

    private static final Logger LOG = Logger.getLogger(ApiKeyView.class);
    /** This view's name in {@code fetchsms_consumer_event_delay_seconds}. */
    static final String HOP = "api-key-view";
    /** How often the consumer asks the broker for the topic's end offsets to confirm it is caught up. */
    static final Duration FRESHNESS_CHECK = Duration.ofMillis(500);
    private static final Duration FRESHNESS_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);
    private static final Duration FORGET_EVERY = Duration.ofMinutes(1);
    static final String SESSION_UNAVAILABLE = "Cannot check the session now (the account service is unreachable); "
            + "try again";
    static final String UNAVAILABLE = "Cannot check the API key now (the key service is unreachable); try again";
    private static final String WALLET = "wallet-service";

    /** A key as the view knows it. */
    public record KeyState(UUID keyId, UUID accountId, String prefix, boolean active, KeyMode mode) {
    }

    private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
    /**
     * Hashes wallet-service answered 404 for, remembered for {@code negative-cache-ttl} and at most
     * {@code unknown-keys-max} of them (least recently used go first): random keys cost a bounded amount of memory.
     */
    private final Cache<String, Boolean> unknown;
    private final Map<UUID, Instant> lastUsed = new ConcurrentHashMap<>();
    /** Signed-out sessions (token {@code jti}) until their tokens expire. */
    private final Map<UUID, Instant> revokedSessions = new ConcurrentHashMap<>();
    /** Accounts signed out everywhere: sessions issued at or before the cut-off are refused, until they expire. */
    private final Map<UUID, SessionRevoked> accountCutoffs = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean caughtUp;
    private volatile boolean paused;
    /** {@link System#nanoTime()} of the newest end-offset request the view had caught up with; 0 before the first. */
    private volatile long freshAsOfNanos;
    private Thread poller;
    private long flushTimer = -1;
    private WebClient client;

    private final ApiKeysConfig config;
    private final SessionsConfig sessions;
    private final ServicesConfig services;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final KafkaClientProperties kafka;
    private final EventHops hops;

    public ApiKeyView(ApiKeysConfig config, SessionsConfig sessions, ServicesConfig services, ObjectMapper mapper,
            Vertx vertx, KafkaClientProperties kafka, EventHops hops, MeterRegistry registry) {
        this.sessions = sessions;
        this.hops = hops;
        this.config = config;
        this.services = services;
        this.mapper = mapper;
        this.vertx = vertx;
        this.kafka = kafka;
        this.unknown = Caffeine.newBuilder()
                .maximumSize(config.unknownKeysMax())
                .expireAfterWrite(config.negativeCacheTtl())
                // maintenance (eviction) on the caller's thread: cheap, and the bound holds when the call returns
                .executor(Runnable::run)
                .build();
        if (active()) {
            Gauge.builder("fetchsms.api.key.view.staleness", this, ApiKeyView::stalenessSeconds)
                    .strongReference(true).baseUnit("seconds")
                    .description("Time since the API-key view last confirmed it had read its topic to the end; "
                            + "above fetchsms.api-keys.max-staleness keys are checked at wallet-service")
                    .register(registry);
        }
    }

    /**
     * Whether this service runs the view: it takes API keys and learns them from the topic, or learns session sign-outs
     * from it.
     */
    private boolean active() {
        return config.enabled() && config.view() || sessions.revocationView();
    }

    void start(@Observes @Priority(2) StartupEvent event) {
        if (!active()) {
            return;
        }
        client = InternalClients.create(vertx, services);
        running.set(true);
        poller = new Thread(this::pollLoop, "api-key-view");
        poller.setDaemon(true);
        poller.start();
        // give the view a moment to catch up before the first request: a view that is not yet fresh sends every
        // credential to wallet-service (readiness keeps traffic away until then; this keeps a fresh start quiet)
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        while (!caughtUp && System.nanoTime() < deadline) {
            sleep(20);
        }
        flushTimer = vertx.setPeriodic(config.usageFlushInterval().toMillis(), id -> flushUsage().subscribe()
                .with(ignored -> {
                }, failure -> LOG.debugf("Key usage not reported: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
        if (flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
        }
    }

    /** Whether the view has read the topic up to where it stood at start (readiness). */
    public boolean caughtUp() {
        return !active() || caughtUp;
    }

    /**
     * Whether the view may be trusted alone: it confirmed within {@code max-staleness} that it had read the topic up
     * to the end offsets the broker reported.
     */
    public boolean fresh() {
        long asOf = freshAsOfNanos;
        return caughtUp && asOf != 0 && System.nanoTime() - asOf <= config.maxStaleness().toNanos();
    }

    /**
     * Stops (true) or resumes (false) reading the topic, as if the broker were unreachable: the view turns stale after
     * {@code max-staleness} and fails closed. A drill for operators and tests; nothing in the platform calls it.
     */
    public void pause(boolean pause) {
        paused = pause;
    }

    /** Seconds since the view last confirmed it was caught up (since start when never). */
    double stalenessSeconds() {
        long asOf = freshAsOfNanos;
        return asOf == 0 ? Double.NaN : (System.nanoTime() - asOf) / 1e9;
    }

    /**
     * The state of the key with this hash: from the view when it is fresh, else from wallet-service; empty when
     * unknown. Fails with a 503 {@link ApiException} when the view is stale and wallet-service cannot check the key.
     */
    public Uni<Optional<KeyState>> find(String keyHash) {
        if (!fresh()) {
            // stale: the view may have missed a revocation; only the owner can say
            if (unknown.getIfPresent(keyHash) != null) {
                return Uni.createFrom().item(Optional.empty());
            }
            return introspect(keyHash);
        }
        KeyState known = keys.get(keyHash);
        if (known != null) {
            return Uni.createFrom().item(Optional.of(known));
        }
        if (unknown.getIfPresent(keyHash) != null) {
            return Uni.createFrom().item(Optional.empty());
        }
        // fresh: a key the view does not hold and wallet-service cannot confirm is not a credential (401)
        return introspect(keyHash).onFailure(ApiException.class).recoverWithItem(Optional.empty());
    }

    /** How many unknown key hashes are remembered now (never more than {@code unknown-keys-max}). */
    public long unknownKeysRemembered() {
        unknown.cleanUp();
        return unknown.estimatedSize();
    }

    /**
     * Whether the session ({@code jti}, issue time) of the account was signed out: from the view when it is fresh,
     * else from wallet-service; fails with a 503 {@link ApiException} when it is stale and wallet-service cannot say.
     */
    public Uni<Boolean> sessionRevoked(UUID accountId, UUID sessionId, Instant issuedAt) {
        if (fresh()) {
            return Uni.createFrom().item(revokedHere(accountId, sessionId, issuedAt));
        }
        return InternalClients.post(client, mapper, WALLET, services.walletUrl() + "/internal/sessions/introspect",
                new SessionIntrospectionRequest(accountId, sessionId, issuedAt), config.introspectionTimeout(),
                SessionIntrospection.class)
                .onFailure().transform(failure -> {
                    LOG.warnf("Session introspection failed (%s); the session is refused with 503",
                            failure.getMessage());
                    return new ApiException(503, SESSION_UNAVAILABLE);
                })
                .map(answer -> {
                    if (answer.status() == 200) {
                        // an answer without 'revoked' is read as signed out (fail closed)
                        return answer.body() == null || !Boolean.FALSE.equals(answer.body().revoked());
                    }
                    LOG.warnf("Session introspection answered %d; the session is refused with 503", answer.status());
                    throw new ApiException(503, SESSION_UNAVAILABLE);
                });
    }

    private boolean revokedHere(UUID accountId, UUID sessionId, Instant issuedAt) {
        if (sessionId != null && revokedSessions.containsKey(sessionId)) {
            return true;
        }
        SessionRevoked cutoff = accountCutoffs.get(accountId);
        return cutoff != null && (issuedAt == null || !issuedAt.isAfter(cutoff.cutoff()));
    }

    /** Applies a sign-out from the topic. */
    public void apply(SessionRevoked revoked) {
        if (revoked.everySession()) {
            accountCutoffs.merge(revoked.accountId(), revoked,
                    (held, next) -> next.cutoff().isAfter(held.cutoff()) ? next : held);
        } else {
            revokedSessions.put(revoked.sessionId(), revoked.expiresAt());
        }
    }

    /** Forgets sign-outs whose tokens have all expired. */
    private void forgetExpiredSignOuts() {
        Instant now = Instant.now();
        revokedSessions.values().removeIf(expires -> expires.isBefore(now));
        accountCutoffs.values().removeIf(cutoff -> cutoff.expiresAt().isBefore(now));
    }

    /** Notes a successful use; reported to wallet-service in the next flush. */
    public void recordUse(UUID keyId) {
        lastUsed.put(keyId, Instant.now());
    }

    /** Applies one record of the topic (also used directly by tests of consumers). */
    public void apply(ApiKeyChanged change) {
        keys.put(change.keyHash(), new KeyState(change.keyId(), change.accountId(), change.prefix(),
                ApiKeyChanged.ACTIVE.equals(change.status()), change.mode()));
        unknown.invalidate(change.keyHash());
    }

    private Uni<Optional<KeyState>> introspect(String keyHash) {
        return InternalClients.post(client, mapper, WALLET, services.walletUrl() + "/internal/api-keys/introspect",
                new KeyIntrospectionRequest(keyHash), config.introspectionTimeout(), KeyIntrospection.class)
                .onFailure().transform(failure -> {
                    LOG.warnf("Key introspection failed (%s); the key is refused with 503", failure.getMessage());
                    return new ApiException(503, UNAVAILABLE);
                })
                .map(answer -> {
                    if (answer.status() == 200) {
                        KeyIntrospection body = answer.body();
                        if (body == null || body.keyId() == null || body.accountId() == null) {
                            LOG.warn("Key introspection answered without the key's ids; the key is refused with 503");
                            throw new ApiException(503, UNAVAILABLE);
                        }
                        KeyState state = new KeyState(body.keyId(), body.accountId(), body.prefix(),
                                ApiKeyChanged.ACTIVE.equals(body.status()), body.mode());
                        // keys are never re-activated: a revocation the view holds wins over an answer that may
                        // have been sent before it; otherwise the topic's next record overwrites this one
                        return Optional.of(keys.merge(keyHash, state, (held, answered) -> held.active()
                                ? answered
                                : held));
                    }
                    if (answer.status() == 404) {
                        unknown.put(keyHash, Boolean.TRUE);
                        return Optional.<KeyState>empty();
                    }
                    LOG.warnf("Key introspection answered %d; the key is refused with 503", answer.status());
                    throw new ApiException(503, UNAVAILABLE);
                });
    }

    /**
     * Reports the uses noted since the last flush in one request. The uses are noted again (unless a newer use was
     * noted meanwhile) when wallet-service could not take them: unreachable, no answer in time, or a 5xx.
     */
    Uni<Void> flushUsage() {
        if (lastUsed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, Instant> batch = new HashMap<>(lastUsed);
        batch.forEach(lastUsed::remove);
        List<KeyUsage> usages = new ArrayList<>(batch.size());
        batch.forEach((keyId, at) -> usages.add(new KeyUsage(keyId, at)));
        return InternalClients.post(client, mapper, WALLET, services.walletUrl() + "/internal/api-keys/usage",
                new KeyUsageReport(usages), config.introspectionTimeout(), Void.class)
                .onFailure().invoke(() -> batch.forEach(lastUsed::putIfAbsent))
                .replaceWithVoid();
    }

    private void pollLoop() {
        while (running.get()) {
            try (KafkaConsumer<String, String> consumer = newConsumer()) {
                List<TopicPartition> partitions = partitions(consumer);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long checkStarted = System.nanoTime();
                // the first target: the topic as it stood at start (readiness waits for it)
                Map<TopicPartition, Long> checkedEnd = consumer.endOffsets(partitions);
                long nextCheck = checkStarted + FRESHNESS_CHECK.toNanos();
                long lastForget = checkStarted;
                while (running.get()) {
                    if (paused) {
                        sleep(50);
                        continue;
                    }
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        if (record.value() != null && applyRecord(record)) {
                            if (caughtUp) {
                                // the initial replay of the topic is no hop; changes after it are
                                hops.applied(HOP, writtenAt(record), Instant.now());
                            }
                        }
                    }
                    if (checkedEnd != null && checkedEnd.entrySet().stream()
                            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        // every record written before the end-offset request was sent is applied
                        freshAsOfNanos = checkStarted;
                        checkedEnd = null;
                        if (!caughtUp) {
                            caughtUp = true;
                            LOG.infof("API key view ready: %d keys", keys.size());
                        }
                    }
                    if (checkedEnd == null && System.nanoTime() >= nextCheck) {
                        long started = System.nanoTime();
                        if (started - lastForget >= FORGET_EVERY.toNanos()) {
                            forgetExpiredSignOuts();
                            lastForget = started;
                        }
                        nextCheck = started + FRESHNESS_CHECK.toNanos();
                        try {
                            checkedEnd = consumer.endOffsets(partitions, FRESHNESS_TIMEOUT);
                            checkStarted = started;
                        } catch (org.apache.kafka.common.errors.TimeoutException e) {
                            // the broker does not answer: the view ages until it does (fail closed past the bound)
                        }
                    }
                }
            } catch (Exception e) {
                if (running.get()) {
                    LOG.warnf("API key view lost the broker (%s); reconnecting", e.getMessage());
                    sleep(1000);
                }
            }
        }
    }

    /** Applies a record by its {@code ce_type}; false for a type this view does not know (skipped). */
    private boolean applyRecord(ConsumerRecord<String, String> record) throws java.io.IOException {
        Header type = record.headers().lastHeader("ce_type");
        String name = type == null || type.value() == null
                ? EventType.API_KEY_CHANGED.type()
                : new String(type.value(), StandardCharsets.UTF_8);
        if (EventType.API_KEY_CHANGED.type().equals(name)) {
            apply(mapper.readValue(record.value(), ApiKeyChanged.class));
            return true;
        }
        if (EventType.SESSION_REVOKED.type().equals(name)) {
            apply(mapper.readValue(record.value(), SessionRevoked.class));
            return true;
        }
        return false;
    }

    /** The event's {@code ce_time} (when wallet-service wrote it to its outbox); null when absent or unreadable. */
    private static Instant writtenAt(ConsumerRecord<String, String> record) {
        Header time = record.headers().lastHeader("ce_time");
        if (time == null || time.value() == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(new String(time.value(), StandardCharsets.UTF_8)).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A consumer connected as every other client of the service ({@link KafkaClientProperties}: brokers, TLS,
     * credentials). It reads by assignment and commits nothing, so it has no consumer group: its Kafka user needs
     * only Read (and Describe) on the topic (decision 0031).
     */
    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> props = kafka.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "api-key-view"));
        // the connector's default group (the application's name) is not this consumer's: it never joins one
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        while (partitions.isEmpty() && running.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.API_KEY_CHANGED, Duration.ofSeconds(5));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            if (partitions.isEmpty()) {
                sleep(500);
            }
        }
        return partitions;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
