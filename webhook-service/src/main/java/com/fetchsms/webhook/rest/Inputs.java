package com.fetchsms.webhook.rest;

import java.util.UUID;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.security.Caller;

import io.quarkus.security.identity.SecurityIdentity;

/** Input checks of the webhook routes: each refusal is a 4xx with a {@code detail}. */
final class Inputs {

    private Inputs() {
    }

    /**
     * The account the caller acts on: a session's customer, or a test key's sandbox twin (the key's account is the
     * twin's id, so its endpoints and deliveries are the twin's own).
     */
    static UUID accountId(SecurityIdentity identity) {
        return Caller.of(identity).accountId();
    }

    /** A path id; anything that is not a UUID names nothing (404). */
    static UUID pathId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No " + what + " " + id);
        }
    }
}
