package com.fetchsms.webhook.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.webhook.config.WebhookConfig;

/**
 * Endpoint secrets at rest: AES-256-GCM under the configured key, a fresh 12-byte nonce per secret, the endpoint id as
 * associated data (a ciphertext copied to another row does not decrypt). Not a hash: signing needs the secret itself
 * (decision 0012).
 */
@ApplicationScoped
public class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretCipher(WebhookConfig config) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(config.secretKey().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fetchsms.webhook.secret-key must be base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException("fetchsms.webhook.secret-key must be 32 bytes (AES-256), base64");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** A new endpoint secret: {@code whsec_} and 32 random bytes in base64 (the Standard Webhooks form). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    public byte[] encrypt(UUID endpointId, String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(endpointId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt an endpoint secret", e);
        }
    }

    public String decrypt(UUID endpointId, byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(aad(endpointId));
            return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt the secret of endpoint " + endpointId
                    + " (wrong fetchsms.webhook.secret-key?)", e);
        }
    }

    private static byte[] aad(UUID endpointId) {
        return endpointId.toString().getBytes(StandardCharsets.UTF_8);
    }
}
