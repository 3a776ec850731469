package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Calls the sandbox provider's webhook route the way a payment provider would, signing like one. */
final class Webhooks {

    static final String SECRET = "sandbox-webhook-secret";
    static final String HEADER = "X-FetchSMS-Sandbox-Signature";

    private Webhooks() {
    }

    static String body(String type, String reference, long amountCents) {
        return "{\"type\":\"" + type + "\",\"reference\":\"" + reference + "\",\"amount_cents\":" + amountCents + "}";
    }

    static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Response send(String body, String signature) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (signature != null) {
            request = request.header(HEADER, signature);
        }
        return request.when().post("/v1/wallet/deposits/webhooks/sandbox");
    }

    static Response sendSigned(String body) {
        return send(body, signature(SECRET, System.currentTimeMillis() / 1000, body));
    }
}
