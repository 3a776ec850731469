package com.fetchsms.wallet.rest;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.wallet.domain.Page;

/** Keyset pages as a JSON array with the next page in a {@code Link} header (RFC 8288). */
final class Links {

    private Links() {
    }

    /** {@code nextPrefix} is the relative URI of the next page up to its cursor value. */
    static <T> RestResponse<List<T>> withNext(Page<T> page, String nextPrefix) {
        RestResponse.ResponseBuilder<List<T>> builder = RestResponse.ResponseBuilder.ok(page.items());
        if (page.next() != null) {
            builder.header(HttpHeaders.LINK, "<" + nextPrefix + page.next() + ">; rel=\"next\"");
        }
        return builder.build();
    }
}
