package com.fetchsms.ingest.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.GatewayMessage;
import com.fetchsms.ingest.domain.GatewayView;
import com.fetchsms.ingest.domain.IssuedGateway;
import com.fetchsms.ingest.repository.GatewayRepository;
import com.fetchsms.ingest.repository.MessageRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Creating, listing, rotating and authenticating modem gateways. */
@ApplicationScoped
public class GatewayService {

    private static final Logger LOG = Logger.getLogger(GatewayService.class);
    private static final int MAX_NAME = 100;
    /** The window of a gateway's {@code messages_last_hour}. */
    private static final Duration LAST_HOUR = Duration.ofMinutes(60);

    private final Pool pool;
    private final GatewayRepository gateways;
    private final MessageRepository messages;
    private final GatewayCredentials credentials;
    private final IngestConfig config;

    public GatewayService(Pool pool, GatewayRepository gateways, MessageRepository messages,
            GatewayCredentials credentials, IngestConfig config) {
        this.pool = pool;
        this.gateways = gateways;
        this.messages = messages;
        this.credentials = credentials;
        this.config = config;
    }

    /** A new gateway with a fresh token (409 when the name is taken). */
    public Uni<IssuedGateway> create(String rawName) {
        String name = rawName == null ? "" : TextGuard.singleLine(rawName.strip(), "name");
        if (name.isEmpty()) {
            return Uni.createFrom().failure(ApiException.unprocessable("'name' is required"));
        }
        if (name.length() > MAX_NAME) {
            return Uni.createFrom().failure(ApiException.unprocessable("'name' is longer than 100 characters"));
        }
        UUID id = UUID.randomUUID();
        String token = GatewayCredentials.newToken();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return gateways.insert(pool, id, name, GatewayCredentials.hash(token), GatewayCredentials.shownPrefix(token),
                now).map(inserted -> {
                    if (!inserted) {
                        throw ApiException.conflict("A gateway named '" + name + "' exists");
                    }
                    LOG.infof("Gateway %s (%s) created", id, name);
                    return new IssuedGateway(id, name, token, credentials.signingKey(id, 1), now);
                });
    }

    public Uni<List<GatewayView>> list() {
        return gateways.list(pool, Instant.now().minus(LAST_HOUR));
    }

    /**
     * The gateway's latest reports, newest first, after the report {@code before} (the last one seen; 422 when it is
     * not one of the gateway's): what each showed, never its text nor its code. 404 for an unknown gateway.
     */
    public Uni<List<GatewayMessage>> messages(UUID id, UUID before, int limit) {
        return gateways.findById(pool, id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(ApiException.notFound("Gateway not found"));
            }
            if (before == null) {
                return messages.reports(pool, id, null, limit);
            }
            return messages.reportPosition(pool, id, before).chain(position -> position.isEmpty()
                    ? Uni.createFrom().failure(
                            ApiException.unprocessable("'before' is not a message of this gateway"))
                    : messages.reports(pool, id, position.get(), limit));
        });
    }

    /** Replaces a gateway's token and signing key; the old ones stop working at once. */
    public Uni<IssuedGateway> rotate(UUID id) {
        String token = GatewayCredentials.newToken();
        return gateways.rotate(pool, id, GatewayCredentials.hash(token), GatewayCredentials.shownPrefix(token))
                .map(found -> {
                    Gateway gateway = found.orElseThrow(() -> ApiException.notFound("Gateway not found"));
                    LOG.infof("Gateway %s credentials rotated (version %d)", id, gateway.credentialVersion());
                    return new IssuedGateway(gateway.id(), gateway.name(), token,
                            credentials.signingKey(gateway.id(), gateway.credentialVersion()), gateway.createdAt());
                });
    }

    /** The gateway holding {@code token}; 401 when there is none. */
    public Uni<Gateway> authenticate(String token) {
        if (token == null || !token.startsWith(GatewayCredentials.TOKEN_PREFIX)) {
            return Uni.createFrom().failure(ApiException.unauthorized("A gateway token is required"));
        }
        return gateways.findByTokenHash(pool, GatewayCredentials.hash(token)).map(found -> found
                .orElseThrow(() -> ApiException.unauthorized("Invalid gateway token")));
    }

    /** The gateway with this id (android-sms-gateway's routes name it; the signature authenticates). */
    public Uni<Gateway> find(UUID id) {
        return gateways.findById(pool, id).map(found -> found
                .orElseThrow(() -> ApiException.unauthorized("Invalid signature")));
    }

    /** Notes that the gateway called (written at most once per {@code last-seen-resolution}). */
    public Uni<Void> seen(Gateway gateway) {
        Instant now = Instant.now();
        if (gateway.lastSeenAt() != null && gateway.lastSeenAt().isAfter(now.minus(config.lastSeenResolution()))) {
            return Uni.createFrom().voidItem();
        }
        return gateways.touch(pool, gateway.id(), now, config.lastSeenResolution()).onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("Last-seen time of gateway %s not written: %s", gateway.id(), failure.getMessage());
                    return null;
                });
    }
}
