package com.fetchsms.dashboard.rest;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The dashboard with no platform behind it: the public API's address is a port where nothing listens. The web tests
 * check only what happens before (or instead of) a call to the API; every call that is made fails to connect.
 */
public class NoPlatform implements QuarkusTestProfile {

    /** Nothing listens on the discard port of the loopback address. */
    public static final String API_URL = "http://127.0.0.1:9";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fetchsms.dashboard.api-url", API_URL);
    }
}
