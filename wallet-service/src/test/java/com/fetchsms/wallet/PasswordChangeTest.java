package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.wallet.config.AdminConfig;
import com.fetchsms.wallet.service.AdminBootstrap;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class PasswordChangeTest {

    private static final String NEW_PASSWORD = "a-brand-new-passphrase";

    @Inject
    Pool pool;
    @Inject
    AdminBootstrap bootstrap;

    static Response change(String token, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when()
                .post("/v1/account/password");
    }

    @Test
    void aSignedInCustomerChangesThePasswordAndOnlyTheNewOneLogsIn() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String before = hash(account.id());
        change(account.token(), Map.of("current_password", TestAccounts.PASSWORD, "new_password", NEW_PASSWORD))
                .then().statusCode(200);
        assertTrue(!before.equals(hash(account.id())), "the stored hash changed");
        TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(401);
        TestAccounts.login(account.email(), NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void changingThePasswordSignsOutEverySessionAndTheCallerGoesOnInANewOne() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String elsewhere = TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200)
                .extract().path("token");
        given().auth().oauth2(elsewhere).get("/v1/account").then().statusCode(200);

        Response changed = change(account.token(),
                Map.of("current_password", TestAccounts.PASSWORD, "new_password", NEW_PASSWORD));
        changed.then().statusCode(200).body("token_type", equalTo("Bearer"));
        String fresh = changed.path("token");

        // whoever knew the old password (another browser, a stolen session) is out, the caller's old token too
        given().auth().oauth2(elsewhere).get("/v1/account").then().statusCode(401);
        given().auth().oauth2(account.token()).get("/v1/account").then().statusCode(401);
        given().auth().oauth2(fresh).get("/v1/account").then().statusCode(200)
                .body("email", equalTo(account.email()));
        // and every other service hears it: the sign-out is published for their credential views
        KafkaEvents.await(Topics.API_KEY_CHANGED, r -> ("account-sessions:" + account.id()).equals(r.key()),
                java.time.Duration.ofSeconds(20));
    }

    @Test
    void aWrongCurrentPasswordIs403AndChangesNothingAndRepeatedGuessesAre429() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String before = hash(account.id());
        for (int i = 0; i < 5; i++) {
            change(account.token(), Map.of("current_password", "not-the-password-" + i, "new_password",
                    NEW_PASSWORD)).then().statusCode(403).body("detail", equalTo("'current_password' is wrong"));
        }
        change(account.token(), Map.of("current_password", "not-the-password", "new_password", NEW_PASSWORD))
                .then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        assertEquals(before, hash(account.id()));
    }

    @Test
    void badBodiesAre4xxNamingTheFieldAndChangeNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String before = hash(account.id());
        change(account.token(), Map.of("new_password", NEW_PASSWORD)).then().statusCode(400)
                .body("detail", containsString("current_password"));
        change(account.token(), Map.of("current_password", TestAccounts.PASSWORD)).then().statusCode(400)
                .body("detail", containsString("new_password"));
        change(account.token(), Map.of("current_password", TestAccounts.PASSWORD, "new_password", "short"))
                .then().statusCode(422).body("detail", containsString("new_password"));
        change(account.token(), Map.of("current_password", TestAccounts.PASSWORD, "new_password",
                TestAccounts.PASSWORD)).then().statusCode(422).body("detail", containsString("must differ"));
        change(account.token(), Map.of("current_password", TestAccounts.PASSWORD, "new_password", "bad\u0000pass-word"))
                .then().statusCode(400).body("detail", containsString("new_password"));
        assertEquals(before, hash(account.id()));
        TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200);
    }

    @Test
    void anApiKeyCannotChangeThePasswordAndNoCredentialIs401() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String key = given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "ci")).when().post("/v1/api-keys").then().statusCode(201).extract().path("key");
        change(key, Map.of("current_password", TestAccounts.PASSWORD, "new_password", NEW_PASSWORD)).then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(Map.of("current_password", TestAccounts.PASSWORD, "new_password", NEW_PASSWORD))
                .when().post("/v1/account/password").then().statusCode(401);
        TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200);
    }

    @Test
    void theAdministratorCanReplaceTheDefaultPassword() {
        String token = TestAccounts.login("admin@fetchsms.local", "admin-password").then().statusCode(200)
                .extract().path("token");
        change(token, Map.of("current_password", "admin-password", "new_password", NEW_PASSWORD)).then()
                .statusCode(200);
        String again = TestAccounts.login("admin@fetchsms.local", NEW_PASSWORD).then().statusCode(200)
                .extract().path("token");
        // And back, so the other tests still log in with the test profile's administrator password.
        change(again, Map.of("current_password", NEW_PASSWORD, "new_password", "admin-password")).then()
                .statusCode(200);
        TestAccounts.login("admin@fetchsms.local", "admin-password").then().statusCode(200);
    }

    @Test
    void aKnownDefaultOrWeakAdministratorPasswordStopsTheStartOutsideLocalDevelopment() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> bootstrap.refuseInsecurePassword(admin("admin-password", false)));
        assertTrue(refused.getMessage().contains("FETCHSMS_ADMIN_PASSWORD is a well-known default password"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("FETCHSMS_ADMIN_ALLOW_INSECURE_PASSWORD"), refused.getMessage());
        IllegalStateException weak = assertThrows(IllegalStateException.class,
                () -> bootstrap.refuseInsecurePassword(admin("short", false)));
        assertTrue(weak.getMessage().contains("at least 10 characters"), weak.getMessage());
        // Local development may allow it (a warning), and a strong password starts anywhere.
        bootstrap.refuseInsecurePassword(admin("admin-password", true));
        bootstrap.refuseInsecurePassword(admin("a-strong-operator-passphrase", false));
    }

    private static AdminConfig admin(String password, boolean allowInsecure) {
        return new AdminConfig() {
            @Override
            public Optional<String> email() {
                return Optional.of("ops@example.com");
            }

            @Override
            public Optional<String> password() {
                return Optional.of(password);
            }

            @Override
            public boolean allowInsecurePassword() {
                return allowInsecure;
            }
        };
    }

    private String hash(UUID id) {
        return Db.rows(pool, "SELECT password_hash FROM account WHERE id = $1", id).iterator().next().getString(0);
    }
}
