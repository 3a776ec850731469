package com.fetchsms.wallet.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.Account;
import com.fetchsms.wallet.domain.AccountSummary;
import com.fetchsms.wallet.domain.Credentials;
import com.fetchsms.wallet.domain.Page;
import com.fetchsms.wallet.domain.Session;
import com.fetchsms.wallet.repository.AccountRepository;
import com.fetchsms.wallet.repository.LedgerRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Accounts and dashboard sessions: signup, login, the caller's account, the administrators' account search. */
@ApplicationScoped
public class AccountService {

    /** The one answer to every failed login, whether the address exists or not. */
    static final String WRONG_CREDENTIALS = "Wrong email or password";

    private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@.]+(\\.[^\\s@.]+)+");

    private final Pool pool;
    private final AccountRepository accounts;
    private final LedgerRepository ledger;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final WalletConfig config;
    private final AuthThrottle throttle;
    private final SessionService sessions;

    public AccountService(Pool pool, AccountRepository accounts, LedgerRepository ledger, PasswordHasher hasher,
            SessionTokens tokens, WalletConfig config, AuthThrottle throttle, SessionService sessions) {
        this.throttle = throttle;
        this.sessions = sessions;
        this.pool = pool;
        this.accounts = accounts;
        this.ledger = ledger;
        this.hasher = hasher;
        this.tokens = tokens;
        this.config = config;
    }

    /**
     * Creates a customer account and its empty wallet. 409 when the address is taken in any case; 429 when
     * {@code clientAddress} has signed up too often or the email has been refused too often ({@link AuthThrottle}).
     */
    public Uni<Account> signup(String email, String password, String clientAddress) {
        String address = validEmail(email);
        checkPassword(password, address);
        AuthThrottle.Attempt attempt = throttle.begin(AuthThrottle.Kind.SIGNUP, clientAddress, address);
        Uni<Account> signup = accounts.findByEmail(pool, address).chain(existing -> {
            if (existing.isPresent()) {
                return Uni.createFrom().failure(emailTaken());
            }
            return hasher.offload(() -> hasher.hash(password));
        }).chain(hash -> create(address, hash, Account.USER))
                .map(created -> created.orElseThrow(AccountService::emailTaken));
        return settle(signup, attempt, 409);
    }

    /**
     * Settles a throttled attempt: success gives its tokens back, an answer with {@code countedStatus} (the wrong
     * password, the taken address) keeps them, anything else (overload, an outage) gives them back.
     */
    private static <T> Uni<T> settle(Uni<T> work, AuthThrottle.Attempt attempt, int countedStatus) {
        return work.invoke(attempt::succeeded).onFailure().invoke(e -> {
            if (!(e instanceof ApiException api && api.status() == countedStatus)) {
                attempt.cancelled();
            }
        });
    }

    /** Inserts an account with its wallet in one transaction; empty when the address is taken. */
    Uni<Optional<Account>> create(String email, String passwordHash, String role) {
        return pool.withTransaction(tx -> accounts.insert(tx, UUID.randomUUID(), email, passwordHash, role)
                .call(inserted -> inserted.isPresent()
                        ? ledger.createWallet(tx, inserted.get().id())
                        : Uni.createFrom().voidItem()));
    }

    /**
     * Checks the password and issues a session. An unknown address costs the same bcrypt work as a wrong password and
     * gets the same answer, so neither timing nor wording tells whether an account exists. Throttled per client address
     * and per account: 429 with {@code Retry-After} ({@link AuthThrottle}).
     */
    public Uni<Session> login(String email, String password, String clientAddress) {
        if (email == null || email.isBlank()) {
            throw ApiException.badRequest("'email' is required");
        }
        if (password == null) {
            throw ApiException.badRequest("'password' is required");
        }
        String address = TextGuard.singleLine(email.trim(), "email");
        TextGuard.singleLine(password, "password");
        AuthThrottle.Attempt attempt = throttle.begin(AuthThrottle.Kind.LOGIN, clientAddress, address);
        Uni<Session> login = accounts.findByEmail(pool, address).chain(found -> hasher.offload(() -> {
            Optional<Credentials> account = found;
            boolean valid = account.isPresent()
                    ? hasher.matches(password, account.get().passwordHash())
                    : hasher.matchesNone(password);
            if (!valid) {
                throw ApiException.unauthorized(WRONG_CREDENTIALS);
            }
            Credentials credentials = account.get();
            return tokens.issue(credentials.id(), credentials.email(), credentials.role());
        }));
        return settle(login, attempt, 401);
    }

    /**
     * Changes the caller's password: the current one must match (403 otherwise, counted like a failed login of the
     * account, so guesses are throttled), the new one passes the signup rules (422) and differs from it.
     */
    public Uni<Session> changePassword(UUID accountId, String currentPassword, String newPassword) {
        if (currentPassword == null) {
            throw ApiException.badRequest("'current_password' is required");
        }
        if (newPassword == null) {
            throw ApiException.badRequest("'new_password' is required");
        }
        TextGuard.singleLine(currentPassword, "current_password");
        TextGuard.singleLine(newPassword, "new_password");
        return accounts.findCredentials(pool, accountId).chain(found -> {
            Credentials account = found.orElseThrow(AccountService::unknownSession);
            try {
                checkPassword(newPassword, account.email());
            } catch (ApiException e) {
                throw new ApiException(e.status(), "'new_password': " + e.detail());
            }
            if (newPassword.equals(currentPassword)) {
                throw ApiException.unprocessable("'new_password' must differ from the current password");
            }
            AuthThrottle.Attempt attempt = throttle.begin(AuthThrottle.Kind.PASSWORD_CHANGE, null, account.email());
            Instant cutOff = SessionService.cutOff();
            Uni<Session> change = hasher.offload(() -> {
                if (!hasher.matches(currentPassword, account.passwordHash())) {
                    throw ApiException.forbidden("'current_password' is wrong");
                }
                return hasher.hash(newPassword);
            }).chain(hash -> pool.withTransaction(tx -> accounts
                    .replacePasswordHash(tx, accountId, account.passwordHash(), hash)
                    .chain(replaced -> {
                        if (!replaced) {
                            throw ApiException.conflict("The password was changed meanwhile; try again");
                        }
                        // whoever knew the old password is signed out everywhere, in the same transaction
                        return sessions.signOutEverywhere(tx, accountId, cutOff);
                    })))
                    // the caller goes on in a new session, issued after the cut-off
                    .chain(() -> hasher.offload(
                            () -> tokens.issue(accountId, account.email(), account.role(), cutOff)));
            return settle(change, attempt, 403);
        });
    }

    /** The caller's account; 401 when the session names an account that does not exist. */
    public Uni<Account> account(UUID id) {
        return find(pool, id);
    }

    Uni<Account> find(SqlClient db, UUID id) {
        return accounts.find(db, id).map(found -> found.orElseThrow(AccountService::unknownSession));
    }

    /** Accounts whose address contains {@code email} (case-insensitive), by address, with balances. */
    public Uni<Page<AccountSummary>> search(String email, UUID after, int limit) {
        String part = email == null || email.isBlank() ? null : TextGuard.singleLine(email.trim(), "email", 254);
        return accounts.search(pool, part, after, limit + 1).map(found -> {
            List<AccountSummary> page = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit ? page.get(page.size() - 1).id().toString() : null;
            return new Page<>(List.copyOf(page), next);
        });
    }

    static ApiException unknownSession() {
        return ApiException.unauthorized("This session's account does not exist");
    }

    private static ApiException emailTaken() {
        return ApiException.conflict("An account with this email already exists");
    }

    /** The address as given (trimmed), if it looks like one. */
    static String validEmail(String email) {
        if (email == null || email.isBlank()) {
            throw ApiException.badRequest("'email' is required");
        }
        String address = TextGuard.singleLine(email.trim(), "email");
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw ApiException.unprocessable("'email' must be a valid email address, e.g. name@example.com");
        }
        return address;
    }

    /** 422 for a password that bcrypt cannot take whole or that is too weak. */
    void checkPassword(String password, String email) {
        if (password == null) {
            throw ApiException.badRequest("'password' is required");
        }
        TextGuard.singleLine(password, "password");
        int min = config.passwords().minLength();
        if (password.codePointCount(0, password.length()) < min) {
            throw ApiException.unprocessable("Password too weak: use at least " + min + " characters");
        }
        if (PasswordHasher.tooLong(password)) {
            throw ApiException.unprocessable(
                    "Password too long: at most " + PasswordHasher.MAX_BYTES + " bytes (UTF-8)");
        }
        if (password.isBlank() || password.chars().distinct().count() < 4
                || password.toLowerCase(Locale.ROOT).contains(email.toLowerCase(Locale.ROOT))) {
            throw ApiException.unprocessable(
                    "Password too weak: avoid repeated characters and your email address");
        }
    }
}
