package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SessionTokenTest {

    private static final String TEST_KEY = "fetchsms-test-keys/private.pem";
    private static final String CREDENTIAL_PROBLEM = "Missing, invalid, or revoked credential";

    @Test
    void expiredForeignForgedAndUnsignedTokensAre401() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID id = account.id();

        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        Map<String, String> tokens = Map.of(
                "expired", TestTokens.expired(id),
                "wrong issuer", Jwt.issuer("https://evil.example/wallet").audience(TestTokens.AUDIENCE)
                        .subject(id.toString()).groups(Set.of("user")).expiresIn(3600).sign(TEST_KEY),
                "wrong audience", Jwt.issuer(TestTokens.ISSUER).audience("someone-else")
                        .subject(id.toString()).groups(Set.of("user")).expiresIn(3600).sign(TEST_KEY),
                "wrong signature", Jwt.issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                        .subject(id.toString()).groups(Set.of("user")).expiresIn(3600).sign(stranger),
                "alg none", unsigned(id),
                "tampered claims", promoteToAdmin(account.token()),
                "not a jwt", "not.a.jwt");
        tokens.forEach((kind, token) -> given().auth().oauth2(token).when().get("/v1/account").then()
                .statusCode(401).header("WWW-Authenticate", "Bearer").body("detail", equalTo(CREDENTIAL_PROBLEM)));

        given().when().get("/v1/account").then().statusCode(401).body("detail", equalTo(CREDENTIAL_PROBLEM));
        // the untouched session of the same account works
        given().auth().oauth2(account.token()).when().get("/v1/account").then().statusCode(200);
    }

    @Test
    void aSessionOfAnAccountThatDoesNotExistIs401() {
        given().auth().oauth2(TestTokens.user(UUID.randomUUID())).when().get("/v1/account").then().statusCode(401);
        given().auth().oauth2(TestTokens.user(UUID.randomUUID())).when().get("/v1/wallet").then().statusCode(401);
    }

    @Test
    void aCustomerSessionOnAnAdminRouteIs403() {
        TestAccounts.TestAccount account = TestAccounts.create();
        given().auth().oauth2(account.token()).when().get("/v1/admin/accounts").then().statusCode(403)
                .body("detail", equalTo("This credential is not allowed to use this endpoint"));
        given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", 1000, "reason", "free money"))
                .when().post("/v1/admin/accounts/" + account.id() + "/credits").then().statusCode(403);
        given().auth().oauth2(account.token()).when().get("/v1/wallet").then().statusCode(200)
                .body("balance_cents", equalTo(0));
    }

    @Test
    void anApiKeyOnEveryDashboardRouteIs403() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String key = given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "ci")).when().post("/v1/api-keys").then().statusCode(201).extract().path("key");
        String refused = "API keys are not accepted here; use a dashboard session token";

        given().auth().oauth2(key).when().get("/v1/account").then().statusCode(403).body("detail", equalTo(refused));
        given().auth().oauth2(key).when().get("/v1/api-keys").then().statusCode(403).body("detail", equalTo(refused));
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("name", "from a key"))
                .when().post("/v1/api-keys").then().statusCode(403);
        given().auth().oauth2(key).when().delete("/v1/api-keys/" + UUID.randomUUID()).then().statusCode(403);
        given().auth().oauth2(key).when().get("/v1/wallet").then().statusCode(403).body("detail", equalTo(refused));
        given().auth().oauth2(key).when().get("/v1/wallet/ledger").then().statusCode(403);
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("amount_cents", 1000, "method", "card"))
                .when().post("/v1/wallet/deposits").then().statusCode(403);
        given().auth().oauth2(key).when().get("/v1/admin/accounts").then().statusCode(403);
        given().auth().oauth2(account.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("name", equalTo(java.util.List.of("ci")));
    }

    /** A token with {@code "alg": "none"} and no signature. */
    private static String unsigned(UUID id) {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\",\"sub\":\""
                + id + "\",\"groups\":[\"user\",\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        return b64(header) + "." + b64(claims) + ".";
    }

    /** A real session whose payload was edited to add the admin role, keeping the original signature. */
    private static String promoteToAdmin(String token) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"groups\":[\"user\"]", "\"groups\":[\"user\",\"admin\"]");
        return parts[0] + "." + b64(claims) + "." + parts[2];
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
