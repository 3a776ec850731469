package com.fetchsms.ingest.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.ws.rs.core.HttpHeaders;

/**
 * Where a modem gateway's token may be: {@code Authorization: Bearer <token>} (native routes, Gammu's script);
 * {@code Authorization: Basic} with the token as password (Kannel, from {@code http://gw:<token>@host/…} in its
 * {@code post-url}); the {@code token} query parameter, for software that can only be given a URL (Jasmin's HTTP
 * connector). The query form puts the token in URLs: use it only over TLS and keep access logs of query strings off.
 */
final class GatewayTokens {

    private GatewayTokens() {
    }

    static String from(HttpHeaders headers, String queryToken) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            String value = authorization.strip();
            int space = value.indexOf(' ');
            String scheme = space < 0 ? value : value.substring(0, space);
            String credentials = space < 0 ? "" : value.substring(space + 1).strip();
            if ("Bearer".equalsIgnoreCase(scheme)) {
                return credentials;
            }
            if ("Basic".equalsIgnoreCase(scheme)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    return colon < 0 ? decoded : decoded.substring(colon + 1);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return queryToken == null || queryToken.isBlank() ? null : queryToken.strip();
    }
}
