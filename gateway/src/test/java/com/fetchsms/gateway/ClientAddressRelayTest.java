package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With a client-address key, the dashboard (a relay) gets a voucher for its client's address with each request, and
 * a call that brings back a voucher of the gateway is forwarded with that client's {@code X-Forwarded-For}; a forged,
 * expired, doubled or missing voucher changes nothing, and no service ever receives one.
 */
@QuarkusTest
@TestProfile(ClientAddressRelayTest.WithKey.class)
@QuarkusTestResource(UpstreamServers.class)
class ClientAddressRelayTest {

    private static final String HEADER = ClientAddressVouchers.HEADER.toLowerCase();

    public static class WithKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.gateway.client-address.key", ClientAddressVouchersTest.KEY);
        }
    }

    private static String voucher(String key, Instant at, String forwardedFor) {
        return new ClientAddressVouchers(key, Duration.ofMinutes(2), Clock.fixed(at, ZoneOffset.UTC))
                .issue(forwardedFor);
    }

    private static Response wallet(String... vouchers) {
        var request = given();
        for (String voucher : vouchers) {
            request = request.header(ClientAddressVouchers.HEADER, voucher);
        }
        return request.when().get("/v1/wallet");
    }

    @Test
    void theDashboardGetsAVoucherForItsClientsAddress() {
        Response page = given().when().get("/app/wallet");
        page.then().statusCode(200).header("X-Upstream", "dashboard")
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"));
        String voucher = page.path("headers." + HEADER);
        assertEquals("127.0.0.1", new ClientAddressVouchers(ClientAddressVouchersTest.KEY, Duration.ofMinutes(2),
                Clock.systemUTC()).verify(voucher).orElseThrow());
    }

    @Test
    void aVoucherOfTheGatewayMakesItsAddressTheClientsAndReachesNoService() {
        String voucher = voucher(ClientAddressVouchersTest.KEY, Instant.now(), "203.0.113.9");
        wallet(voucher).then().statusCode(200).header("X-Upstream", "wallet")
                .body("headers.x-forwarded-for", equalTo("203.0.113.9"))
                .body("headers." + HEADER, nullValue());
    }

    @Test
    void aForgedExpiredDoubledOrMissingVoucherIsIgnoredAndReachesNoService() {
        String forged = voucher("f".repeat(32), Instant.now(), "203.0.113.9");
        String expired = voucher(ClientAddressVouchersTest.KEY, Instant.now().minus(Duration.ofMinutes(5)),
                "203.0.113.9");
        String good = voucher(ClientAddressVouchersTest.KEY, Instant.now(), "203.0.113.9");
        for (Response answer : new Response[]{wallet(forged), wallet(expired), wallet("203.0.113.9"),
                wallet(good, good), wallet()}) {
            answer.then().statusCode(200).body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                    .body("headers." + HEADER, nullValue());
        }
    }
}
