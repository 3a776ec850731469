package com.fetchsms.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

class SessionOrTestKeyFilterTest {

    @Path("/v1/hooks")
    @SessionOrTestKey("manage hooks")
    static class Hooks {
        public void list() {
        }

        @SessionOrTestKey("rotate a hook's secret")
        public void rotate() {
        }
    }

    @SessionOrTestKey
    static class Unnamed {
        public void any() {
        }
    }

    @Test
    void theDetailNamesTheResourcesPathAndWhatALiveKeyCannotDo() throws Exception {
        assertEquals("/v1/hooks takes a dashboard session or a test key (fsk_test_…): a live API key cannot manage "
                + "hooks", SessionOrTestKeyFilter.detail(Hooks.class, Hooks.class.getMethod("list"), "v1/hooks/1"));
        assertEquals("/v1/hooks takes a dashboard session or a test key (fsk_test_…): a live API key cannot rotate "
                + "a hook's secret",
                SessionOrTestKeyFilter.detail(Hooks.class, Hooks.class.getMethod("rotate"),
                        "/v1/hooks/1/rotate"));
    }

    @Test
    void withoutAPathOrAReasonTheRequestsPathAndTheDefaultReason() throws Exception {
        assertEquals("/v1/other takes a dashboard session or a test key (fsk_test_…): a live API key cannot act on "
                + "the account's settings",
                SessionOrTestKeyFilter.detail(Unnamed.class,
                        Unnamed.class.getMethod("any"), "v1/other"));
    }
}
