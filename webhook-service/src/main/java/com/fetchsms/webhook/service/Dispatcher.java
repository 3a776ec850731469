package com.fetchsms.webhook.service;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.webhook.config.WebhookConfig;
import com.fetchsms.webhook.domain.ClaimedDelivery;
import com.fetchsms.webhook.repository.DeliveryRepository;
import com.fetchsms.webhook.repository.EndpointRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Sends due deliveries. Each pass leases a batch ({@code FOR UPDATE SKIP LOCKED}, a lease of the attempt timeout plus
 * a margin, at most {@code per-endpoint-concurrency} in flight per endpoint) and starts the attempts without waiting
 * for them, so a slow endpoint never holds back the next pass. An attempt resolves and checks the host, connects to
 * that checked address, POSTs the stored body with its signatures, and writes the outcome only while it still holds
 * the lease. Ordering per endpoint is not promised (decision 0012).
 *
 * <p>
 * Each recorded attempt is counted in {@code fetchsms_webhook_attempts_total{outcome}}: {@code delivered} (2xx),
 * {@code failed_retryable} (another attempt is scheduled), {@code failed_permanent} (410 Gone, or the last attempt of
 * the schedule failed). Requests to customers' endpoints carry no trace context (tracing policy IGNORE): the platform's
 * trace ids stay inside the platform.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** The result of one attempt: an HTTP status (null when no answer), a Retry-After, or an error. */
    record Outcome(Integer status, Duration retryAfter, String error) {
        boolean success() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private final Vertx vertx;
    private final Pool pool;
    private final DeliveryRepository deliveries;
    private final EndpointRepository endpoints;
    private final SecretCipher cipher;
    private final UrlGuard guard;
    private final WebhookConfig config;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** 0: no woken pass running; 1: one running; 2: one running and another wanted after it. */
    private final AtomicInteger wakeState = new AtomicInteger();
    private final Counter delivered;
    private final Counter failedRetryable;
    private final Counter failedPermanent;
    private WebClient client;

    public Dispatcher(Vertx vertx, Pool pool, DeliveryRepository deliveries, EndpointRepository endpoints,
            SecretCipher cipher, UrlGuard guard, WebhookConfig config, MeterRegistry registry) {
        this.vertx = vertx;
        this.pool = pool;
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.cipher = cipher;
        this.guard = guard;
        this.config = config;
        this.delivered = attempts(registry, "delivered");
        this.failedRetryable = attempts(registry, "failed_retryable");
        this.failedPermanent = attempts(registry, "failed_permanent");
    }

    private static Counter attempts(MeterRegistry registry, String outcome) {
        return Counter.builder("fetchsms.webhook.attempts").tag("outcome", outcome)
                .description("Webhook delivery attempts whose outcome was recorded, by outcome").register(registry);
    }

    @PostConstruct
    void init() {
        client = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setUserAgent("FetchSMS-Webhooks/1")
                .setConnectTimeout((int) config.timeout().toMillis())
                .setVerifyHost(true)
                .setForceSni(true)
                .setMaxPoolSize(config.perEndpointConcurrency())
                .setTracingPolicy(TracingPolicy.IGNORE));
    }

    @Scheduled(every = "${fetchsms.webhook.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return dispatch().onFailure().recoverWithItem(failure -> {
            LOG.warnf("Dispatch pass failed, the next pass retries: %s", failure.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /**
     * Runs a pass now, because deliveries were just queued (called once their transaction committed): a new delivery
     * goes out within milliseconds instead of at the next scheduled pass. Wake-ups that arrive while a woken pass runs
     * are folded into one more pass after it. Concurrent passes are safe: each leases rows the others skip.
     */
    public void wake() {
        if (wakeState.getAndUpdate(state -> Math.min(state + 1, 2)) == 0) {
            passOnWake();
        }
    }

    private void passOnWake() {
        run().subscribe().with(ignored -> {
            // 2 (woken again meanwhile) → 1: one more pass; 1 → 0: done
            if (wakeState.decrementAndGet() > 0) {
                passOnWake();
            }
        });
    }

    /** Leases due deliveries and starts their attempts; answers how many were started. */
    public Uni<Integer> dispatch() {
        int free = config.maxInFlight() - inFlight.get();
        if (free <= 0) {
            return Uni.createFrom().item(0);
        }
        Duration lease = config.timeout().plus(config.leaseMargin());
        return pool.withTransaction(tx -> deliveries.claim(tx, config.perEndpointConcurrency(), free, lease))
                .invoke(claimed -> claimed.forEach(this::start)).map(List::size);
    }

    private void start(ClaimedDelivery delivery) {
        inFlight.incrementAndGet();
        attempt(delivery).onTermination().invoke(inFlight::decrementAndGet).subscribe().with(ignored -> {
        }, failure -> LOG.warnf("Delivery %s: the outcome was not recorded (%s); it is retried after its lease",
                delivery.id(), failure.getMessage()));
    }

    Uni<Void> attempt(ClaimedDelivery d) {
        return Uni.createFrom().item(() -> secrets(d))
                .chain(secrets -> guard.check(d.url()).chain(target -> send(target, d, secrets)))
                .onFailure().recoverWithItem(failure -> new Outcome(null, null, describe(failure)))
                .chain(outcome -> record(d, outcome));
    }

    /** The current secret, then the previous one while it still signs. */
    private List<String> secrets(ClaimedDelivery d) {
        String current = cipher.decrypt(d.endpointId(), d.secretCiphertext());
        return d.previousSecretCiphertext() == null
                ? List.of(current)
                : List.of(current, cipher.decrypt(d.endpointId(), d.previousSecretCiphertext()));
    }

    private Uni<Outcome> send(UrlGuard.Target target, ClaimedDelivery d, List<String> secrets) {
        long timestamp = Instant.now().getEpochSecond();
        String id = d.id().toString();
        RequestOptions options = new RequestOptions().setHost(target.host()).setPort(target.port())
                .setSsl(target.ssl()).setURI(target.requestUri()).setFollowRedirects(false);
        SocketAddress address = SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress());
        String secret = secrets.get(0);
        StringBuilder standard = new StringBuilder();
        for (String s : secrets) {
            standard.append(standard.length() == 0 ? "" : " ")
                    .append(Signatures.standard(s, id, timestamp, d.payload()));
        }
        var request = client.request(HttpMethod.POST, address, options)
                .timeout(config.timeout().toMillis())
                .as(BodyCodec.none())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-FetchSMS-Event", d.event())
                .putHeader("X-FetchSMS-Signature", Signatures.fetchSms(secret, d.payload()))
                .putHeader("X-FetchSMS-Delivery", id)
                .putHeader("X-FetchSMS-Timestamp", Long.toString(timestamp))
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", standard.toString());
        if (secrets.size() > 1) {
            request.putHeader("X-FetchSMS-Signature-Previous", Signatures.fetchSms(secrets.get(1), d.payload()));
        }
        return request.sendBuffer(Buffer.buffer(d.payload()))
                .ifNoItem().after(config.timeout().plusSeconds(1)).fail()
                .map(response -> new Outcome(response.statusCode(), retryAfter(response), null));
    }

    private Uni<Void> record(ClaimedDelivery d, Outcome outcome) {
        Counter counted = outcome.success()
                ? delivered
                : (outcome.status() != null && outcome.status() == 410)
                        || d.attempts() + 1 > config.retrySchedule().size() ? failedPermanent : failedRetryable;
        return pool.withTransaction(tx -> {
            if (outcome.success()) {
                return deliveries.delivered(tx, d, outcome.status())
                        .call(held -> held ? endpoints.markSuccess(tx, d.endpointId()) : Uni.createFrom().voidItem())
                        .replaceWithVoid();
            }
            String error = outcome.error() != null ? outcome.error() : "HTTP " + outcome.status();
            if (outcome.status() != null && outcome.status() == 410) {
                return deliveries.failed(tx, d, 410, "the endpoint answered 410 Gone: disabled")
                        .call(held -> held
                                ? endpoints.disable(tx, d.endpointId(), "gone")
                                : Uni.createFrom().voidItem())
                        .replaceWithVoid();
            }
            List<Duration> schedule = config.retrySchedule();
            int attempt = d.attempts() + 1;
            if (attempt <= schedule.size()) {
                Duration delay = jitter(schedule.get(attempt - 1));
                if (outcome.retryAfter() != null) {
                    Duration asked = outcome.retryAfter().compareTo(config.maxRetryAfter()) > 0
                            ? config.maxRetryAfter()
                            : outcome.retryAfter();
                    delay = asked.compareTo(delay) > 0 ? asked : delay;
                }
                return deliveries.retryAt(tx, d, outcome.status(), error, Instant.now().plus(delay))
                        .replaceWithVoid();
            }
            return deliveries.failed(tx, d, outcome.status(), error)
                    .call(held -> held
                            ? endpoints.disableIfNoSuccessSince(tx, d.endpointId(), d.createdAt())
                            : Uni.createFrom().voidItem())
                    .replaceWithVoid();
        }).invoke(() -> counted.increment());
    }

    private Duration jitter(Duration delay) {
        double spread = config.jitter();
        if (spread <= 0) {
            return delay;
        }
        double factor = 1 + spread * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(delay.toMillis() * factor)));
    }

    /** {@code Retry-After} of a 429 or 503, in seconds or as an HTTP date; null otherwise. */
    static Duration retryAfter(HttpResponse<?> response) {
        int status = response.statusCode();
        String value = response.getHeader("Retry-After");
        if ((status != 429 && status != 503) || value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException unparsable) {
                return null;
            }
        }
    }

    private static String describe(Throwable failure) {
        if (failure instanceof UrlGuard.RefusedException) {
            return "refused: " + failure.getMessage();
        }
        if (failure instanceof io.smallrye.mutiny.TimeoutException
                || failure instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message;
    }
}
