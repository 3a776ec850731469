package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code fetchsms.gateway.home} set empty: {@code /} is a path without a route like any other, 404 JSON. */
@QuarkusTest
@TestProfile(WithoutHomeTest.NoHome.class)
@QuarkusTestResource(UpstreamServers.class)
class WithoutHomeTest {

    public static class NoHome implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.gateway.home", "");
        }
    }

    @Test
    void withoutAHomeTheRootIsNotFound() {
        for (String method : new String[]{"GET", "POST"}) {
            given().redirects().follow(false).when().request(method, "/?x=1").then().statusCode(404)
                    .contentType("application/json").header("Location", nullValue())
                    .body("detail", equalTo("Not found"));
        }
        given().redirects().follow(false).when().head("/").then().statusCode(404).header("Location", nullValue());
        given().when().get("/app/").then().statusCode(200).header("X-Upstream", "dashboard");
    }
}
