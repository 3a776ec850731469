package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.wallet.service.AdminBootstrap;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminBootstrapTest {

    @Inject
    Pool pool;
    @Inject
    AdminBootstrap bootstrap;

    @Test
    void theConfiguredAdministratorExistsAtStartAndHasTheAdminRole() {
        String token = TestAccounts.login("admin@fetchsms.local", "admin-password").then().statusCode(200)
                .extract().path("token");
        given().auth().oauth2(token).when().get("/v1/account").then().statusCode(200)
                .body("role", equalTo("admin")).body("email", equalTo("admin@fetchsms.local"));
        given().auth().oauth2(token).when().get("/v1/admin/accounts").then().statusCode(200);
        given().auth().oauth2(token).when().get("/v1/wallet").then().statusCode(200).body("balance_cents", equalTo(0));
    }

    @Test
    void startingAgainOrOnSeveralReplicasAtOnceCreatesOneAdministrator() throws Exception {
        assertFalse(bootstrap.ensureAdmin("admin@fetchsms.local", "admin-password"), "already there");
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM account WHERE lower(email) = 'admin@fetchsms.local'"));

        String email = "ops-" + TestAccounts.freshEmail();
        List<Callable<Boolean>> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(() -> bootstrap.ensureAdmin(email, "ops-admin-password"));
        }
        ExecutorService executor = Executors.newFixedThreadPool(replicas.size());
        int created = 0;
        try {
            for (Future<Boolean> result : executor.invokeAll(replicas)) {
                created += result.get() ? 1 : 0;
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(1, created);
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM account WHERE email = $1 AND role = 'admin'", email));
        assertEquals(1L, Db.count(pool, """
                SELECT count(*) FROM ledger_account w JOIN account a ON a.id = w.account_id WHERE a.email = $1""",
                email));
        TestAccounts.login(email, "ops-admin-password").then().statusCode(200);
    }

    @Test
    void anAddressACustomerRegisteredFirstIsNeverPromoted() {
        TestAccounts.TestAccount customer = TestAccounts.create();
        assertFalse(bootstrap.ensureAdmin(customer.email(), "a-different-admin-password"));
        given().auth().oauth2(customer.token()).when().get("/v1/account").then().statusCode(200)
                .body("role", equalTo("user"));
        TestAccounts.login(customer.email(), "a-different-admin-password").then().statusCode(401);
    }
}
