package com.fetchsms.wallet.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.wildfly.security.password.Password;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.config.WalletConfig;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Password hashes: bcrypt (Elytron's implementation) with a configurable cost, compared in constant time. bcrypt reads
 * at most 72 bytes, so longer passwords are refused at signup rather than silently truncated. Hashing is CPU-heavy:
 * every caller goes through {@link #offload}, never on an event loop.
 */
@ApplicationScoped
public class PasswordHasher {

    /** bcrypt's input limit. */
    public static final int MAX_BYTES = 72;

    static final String OVERLOADED = "Too many password checks in progress: try again shortly";

    private final int cost;
    private final ThreadPoolExecutor pool;
    private volatile String dummyHash;

    public PasswordHasher(WalletConfig config) {
        this.cost = config.passwords().bcryptCost();
        int threads = Math.max(1, config.passwords().hashingThreads());
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.passwords().hashingQueue())),
                work -> {
                    Thread thread = new Thread(work, "password-hashing-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** Computes the dummy hash at start (main thread), not on the first login. */
    void warmUp(@Observes StartupEvent event) {
        dummy();
    }

    /**
     * Runs CPU-heavy work (hashing, signing) on the hashing pool; fails with 503 at once when its queue is full.
     */
    public <T> Uni<T> offload(Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                pool.execute(() -> {
                    T result;
                    try {
                        result = work.get();
                    } catch (Throwable e) {
                        emitter.fail(e);
                        return;
                    }
                    emitter.complete(result);
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(new ApiException(503, OVERLOADED, Duration.ofSeconds(1)));
            }
        });
    }

    /** A new bcrypt hash in modular crypt format. Blocking (CPU). */
    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    /** Whether {@code password} matches {@code storedHash}; the comparison takes constant time. Blocking (CPU). */
    public boolean matches(String password, String storedHash) {
        if (password == null || tooLong(password)) {
            matches("", dummy());
            return false;
        }
        BCryptPassword stored = decode(storedHash);
        BCryptPassword candidate = decode(
                BcryptUtil.bcryptHash(password, stored.getIterationCount(), stored.getSalt()));
        return MessageDigest.isEqual(candidate.getHash(), stored.getHash());
    }

    /** Spends the work of one {@link #matches} against a hash nobody knows the password of; always false. */
    public boolean matchesNone(String password) {
        matches(password == null || tooLong(password) ? "" : password, dummy());
        return false;
    }

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    private String dummy() {
        String hash = dummyHash;
        if (hash == null) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            hash = BcryptUtil.bcryptHash(HexFormat.of().formatHex(random), cost);
            dummyHash = hash;
        }
        return hash;
    }

    private static BCryptPassword decode(String hash) {
        try {
            Password password = ModularCrypt.decode(hash);
            if (password instanceof BCryptPassword bcrypt) {
                return bcrypt;
            }
            throw new IllegalStateException("Not a bcrypt hash: " + password.getAlgorithm());
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException("Unreadable password hash", e);
        }
    }
}
