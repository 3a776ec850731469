package com.fetchsms.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import io.smallrye.jwt.build.Jwt;

/**
 * Dashboard session tokens for tests, shaped like wallet-service's (RS256, {@code iss}, {@code aud}, {@code sub} =
 * account id, {@code groups}) and signed with the test key in {@code fetchsms-test-keys/}.
 */
public final class TestTokens {

    public static final String ISSUER = "https://fetchsms.local/wallet";
    public static final String AUDIENCE = "fetchsms";
    public static final String PUBLIC_KEY_LOCATION = "fetchsms-test-keys/public.pem";

    private static final PrivateKey KEY = loadKey();

    private TestTokens() {
    }

    public static String user(UUID accountId) {
        return token(accountId, Set.of("user"), 3600);
    }

    public static String admin(UUID accountId) {
        return token(accountId, Set.of("user", "admin"), 3600);
    }

    public static String admin() {
        return admin(UUID.randomUUID());
    }

    public static String expired(UUID accountId) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(accountId.toString()).groups(Set.of("user", "admin"))
                .issuedAt(System.currentTimeMillis() / 1000 - 7200).expiresAt(System.currentTimeMillis() / 1000 - 3600)
                .sign(KEY);
    }

    public static String token(UUID accountId, Set<String> groups, long seconds) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(accountId.toString()).groups(groups)
                .claim("email", accountId + "@test.fetchsms.local")
                .expiresIn(seconds).sign(KEY);
    }

    /**
     * A session token as wallet-service issues it since sessions can be signed out: {@code jti} = the session id and
     * {@code iat_ms} = the issue time in milliseconds.
     */
    public static String session(UUID accountId, UUID sessionId, Set<String> groups) {
        long now = System.currentTimeMillis();
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(accountId.toString()).groups(groups)
                .claim("email", accountId + "@test.fetchsms.local").claim("jti", sessionId.toString())
                .claim("iat_ms", now).issuedAt(now / 1000).expiresAt(now / 1000 + 3600).sign(KEY);
    }

    private static PrivateKey loadKey() {
        try (InputStream in = TestTokens.class.getClassLoader()
                .getResourceAsStream("fetchsms-test-keys/private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
