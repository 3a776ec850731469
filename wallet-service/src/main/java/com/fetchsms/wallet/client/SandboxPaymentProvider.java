package com.fetchsms.wallet.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.wallet.config.WalletConfig;

import io.smallrye.mutiny.Uni;

/**
 * The sandbox provider: no money moves. In {@code instant} mode a deposit completes at once (the local stack); in
 * {@code deferred} mode it stays pending until a webhook call signed like a real provider's confirms it:
 *
 * <pre>
 * POST /v1/wallet/deposits/webhooks/sandbox
 * X-FetchSMS-Sandbox-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + raw body)&gt;
 * {"type": "payment.succeeded" | "payment.failed", "reference": "sbx_…", "amount_cents": 1000}
 * </pre>
 *
 * The timestamp must be within {@code fetchsms.wallet.payments.sandbox.webhook-tolerance} (replays are refused).
 */
@ApplicationScoped
public class SandboxPaymentProvider implements PaymentProvider {

    public static final String NAME = "sandbox";
    public static final String SIGNATURE_HEADER = "X-FetchSMS-Sandbox-Signature";

    private static final Logger LOG = Logger.getLogger(SandboxPaymentProvider.class);
    private static final String BAD_SIGNATURE = "Invalid webhook signature";

    /**
     * The body of a sandbox webhook call, read after its signature was checked on the raw bytes. The platform's JSON
     * rules apply: {@code reference} and {@code type} are strings, {@code amount_cents} a JSON integer; anything else
     * (or a missing field) is 400 {@code A notification needs 'type', 'reference' and 'amount_cents'}; other fields are
     * ignored.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SandboxNotification(String type, String reference, @TypeHint(TypeHint.CENTS) Long amountCents) {
    }

    private final WalletConfig config;
    private final ObjectMapper mapper;

    public SandboxPaymentProvider(WalletConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<Start> start(Request request) {
        boolean instant = !"deferred".equalsIgnoreCase(config.payments().sandbox().mode());
        return Uni.createFrom().item(new Start("sbx_" + request.depositId(), instant, null));
    }

    @Override
    public Notification verify(String body, Function<String, String> header) {
        String secret = config.payments().sandbox().webhookSecret().orElse(null);
        if (secret == null || secret.isBlank()) {
            LOG.warn("A sandbox webhook call was refused: fetchsms.wallet.payments.sandbox.webhook-secret is not set");
            throw ApiException.unauthorized(BAD_SIGNATURE);
        }
        checkSignature(secret, body == null ? "" : body, header.apply(SIGNATURE_HEADER));
        SandboxNotification notification;
        try {
            notification = mapper.readValue(body == null ? "" : body, SandboxNotification.class);
        } catch (JsonMappingException e) {
            // well-formed JSON of the wrong shape: a field of the wrong type, an array, nothing at all
            notification = null;
        } catch (IOException e) {
            throw ApiException.badRequest("Malformed JSON body");
        }
        if (notification == null || notification.reference() == null || notification.amountCents() == null) {
            throw ApiException.badRequest("A notification needs 'type', 'reference' and 'amount_cents'");
        }
        Outcome outcome = switch (notification.type() == null ? "" : notification.type()) {
            case "payment.succeeded" -> Outcome.SUCCEEDED;
            case "payment.failed" -> Outcome.FAILED;
            default -> throw ApiException.unprocessable("'type' must be payment.succeeded or payment.failed");
        };
        return new Notification(notification.reference(), outcome, notification.amountCents());
    }

    private void checkSignature(String secret, String body, String signature) {
        if (signature == null) {
            throw ApiException.unauthorized(BAD_SIGNATURE);
        }
        String timestamp = null;
        String v1 = null;
        for (String part : signature.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                timestamp = pair[1];
            } else if (pair.length == 2 && pair[0].equals("v1")) {
                v1 = pair[1];
            }
        }
        if (timestamp == null || v1 == null) {
            throw ApiException.unauthorized(BAD_SIGNATURE);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw ApiException.unauthorized(BAD_SIGNATURE);
        }
        long age = Math.abs(Instant.now().getEpochSecond() - seconds);
        if (age > config.payments().sandbox().webhookTolerance().toSeconds()) {
            throw ApiException.unauthorized("Webhook timestamp outside the allowed window");
        }
        byte[] expected = hmac(secret, timestamp + "." + body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(v1);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized(BAD_SIGNATURE);
        }
        if (!MessageDigest.isEqual(expected, given)) {
            throw ApiException.unauthorized(BAD_SIGNATURE);
        }
    }

    static byte[] hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
