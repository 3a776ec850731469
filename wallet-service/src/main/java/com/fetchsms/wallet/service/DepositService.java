package com.fetchsms.wallet.service;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.ids.Hashes;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.IdempotencyKeys;
import com.fetchsms.wallet.client.PaymentProvider;
import com.fetchsms.wallet.client.PaymentProvider.Notification;
import com.fetchsms.wallet.client.PaymentProviders;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.Deposit;
import com.fetchsms.wallet.domain.DepositMethod;
import com.fetchsms.wallet.domain.LedgerItem;
import com.fetchsms.wallet.repository.DepositRepository;
import com.fetchsms.wallet.repository.LedgerRepository;
import com.fetchsms.wallet.repository.LedgerRepository.PlatformAccount;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Deposits: {@code pending} while the provider collects, then {@code completed} with the wallet credited in the same
 * transaction, or {@code failed}. A completion is applied once (only a pending deposit completes), so a provider's
 * repeated confirmations credit once.
 */
@ApplicationScoped
public class DepositService {

    private static final Logger LOG = Logger.getLogger(DepositService.class);

    private final Pool pool;
    private final DepositRepository deposits;
    private final LedgerRepository ledger;
    private final PaymentProviders providers;
    private final WalletConfig config;

    public DepositService(Pool pool, DepositRepository deposits, LedgerRepository ledger, PaymentProviders providers,
            WalletConfig config) {
        this.pool = pool;
        this.deposits = deposits;
        this.ledger = ledger;
        this.providers = providers;
        this.config = config;
    }

    /**
     * Starts a deposit. With an {@code idempotencyKey}, the same key of the same account answers the deposit it made
     * (as it stands now: no second deposit, no second credit, even when both arrive at once); the same key with
     * another amount or method is 422.
     */
    public Uni<Deposit> create(UUID accountId, long amountCents, DepositMethod paidWith, String idempotencyKey) {
        long min = config.deposits().minCents();
        long max = config.deposits().maxCents();
        if (amountCents < min || amountCents > max) {
            throw ApiException.unprocessable("'amount_cents' must be between " + min + " and " + max);
        }
        if (paidWith == null) {
            throw ApiException.badRequest("'method' is required");
        }
        String method = paidWith.code();
        PaymentProvider provider = providers.active().orElseThrow(() -> new ApiException(503,
                "Deposits are not available: no payment provider is configured"));
        String requestHash = idempotencyKey == null ? null : Hashes.sha256Hex(amountCents + "|" + method);
        Uni<Optional<DepositRepository.Keyed>> previous = idempotencyKey == null
                ? Uni.createFrom().item(Optional.empty())
                : deposits.findByKey(pool, accountId, idempotencyKey);
        return previous.chain(found -> found.isPresent()
                ? replay(found.get(), requestHash)
                : start(accountId, amountCents, method, idempotencyKey, requestHash, provider));
    }

    private static Uni<Deposit> replay(DepositRepository.Keyed existing, String requestHash) {
        return Uni.createFrom().item(() -> {
            IdempotencyKeys.requireSameRequest(existing.requestHash(), requestHash);
            return existing.deposit();
        });
    }

    private Uni<Deposit> start(UUID accountId, long amountCents, String method, String idempotencyKey,
            String requestHash, PaymentProvider provider) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(tx -> ledger.balance(tx, accountId).chain(wallet -> wallet.isEmpty()
                ? Uni.createFrom().failure(AccountService.unknownSession())
                : deposits.insertPending(tx, id, accountId, amountCents, method, provider.name(), idempotencyKey,
                        requestHash)))
                .chain(inserted -> inserted.isPresent()
                        ? started(id, accountId, amountCents, method, provider)
                        // A request with the same key inserted first (they raced): answer its deposit.
                        : deposits.findByKey(pool, accountId, idempotencyKey)
                                .chain(raced -> replay(raced.orElseThrow(), requestHash)));
    }

    private Uni<Deposit> started(UUID id, UUID accountId, long amountCents, String method, PaymentProvider provider) {
        return provider.start(new PaymentProvider.Request(id, accountId, amountCents, method))
                .onFailure().call(failure -> {
                    LOG.errorf("Payment provider %s refused deposit %s: %s", provider.name(), id,
                            failure.getMessage());
                    return pool.withTransaction(tx -> deposits.failUnstarted(tx, id));
                })
                .onFailure().transform(failure -> new ApiException(502,
                        "The payment provider is unavailable; nothing was charged, try again"))
                .chain(start -> pool.withTransaction(tx -> deposits.attachReference(tx, id, start.reference(),
                        start.checkoutUrl())
                        .chain(() -> start.completed()
                                ? complete(tx, provider.name(), start.reference(), null)
                                : Uni.createFrom().voidItem())))
                .chain(() -> get(accountId, id));
    }

    public Uni<Deposit> get(UUID accountId, UUID id) {
        return deposits.find(pool, id, accountId)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("No deposit " + id)));
    }

    /** Applies a provider's webhook call (authenticated by the provider's signature check). */
    public Uni<Deposit> notify(String providerName, String body, Function<String, String> header) {
        PaymentProvider provider = providers.find(providerName)
                .orElseThrow(() -> ApiException.notFound("Unknown payment provider: " + providerName));
        Notification notification = provider.verify(body, header);
        return pool.withTransaction(tx -> switch (notification.outcome()) {
            case SUCCEEDED -> complete(tx, provider.name(), notification.reference(), notification.amountCents());
            case FAILED -> fail(tx, provider.name(), notification.reference());
        });
    }

    /**
     * Completes a pending deposit and credits its wallet in the caller's transaction; a deposit already completed is
     * answered as it is (no second credit). {@code confirmedAmount}, when the provider reports one, must match.
     */
    Uni<Deposit> complete(SqlConnection tx, String provider, String reference, Long confirmedAmount) {
        UUID transactionId = UUID.randomUUID();
        return deposits.complete(tx, provider, reference, transactionId).chain(completed -> {
            if (completed.isEmpty()) {
                return settled(tx, provider, reference, Deposit.COMPLETED);
            }
            Deposit deposit = completed.get();
            if (confirmedAmount != null && confirmedAmount != deposit.amountCents()) {
                LOG.errorf("Provider %s confirmed %d cents for deposit %s of %d cents; not credited", provider,
                        confirmedAmount, deposit.id(), deposit.amountCents());
                return Uni.createFrom().failure(ApiException.unprocessable("Confirmed amount " + confirmedAmount
                        + " does not match the deposit's " + deposit.amountCents() + " cents"));
            }
            return ledger.move(tx, deposit.accountId(), deposit.amountCents())
                    .map(moved -> moved.orElseThrow(() -> new IllegalStateException(
                            "No wallet for account " + deposit.accountId())))
                    .chain(wallet -> ledger.book(tx, transactionId, LedgerItem.DEPOSIT, deposit.id().toString(),
                            provider + " " + deposit.method(), null, wallet, deposit.amountCents(),
                            PlatformAccount.PAYMENT_CLEARING))
                    .replaceWith(deposit);
        });
    }

    private Uni<Deposit> fail(SqlConnection tx, String provider, String reference) {
        return deposits.fail(tx, provider, reference).chain(failed -> failed.isPresent()
                ? Uni.createFrom().item(failed.get())
                : settled(tx, provider, reference, Deposit.FAILED));
    }

    /** A notification for a deposit that is no longer pending: the same outcome again is fine, another is a 409. */
    private Uni<Deposit> settled(SqlConnection tx, String provider, String reference, String wanted) {
        return deposits.findByReference(tx, provider, reference).map(found -> {
            Optional<Deposit> deposit = found;
            if (deposit.isEmpty()) {
                throw ApiException.notFound("No deposit with reference " + reference);
            }
            if (!deposit.get().status().equals(wanted)) {
                throw ApiException.conflict("Deposit " + deposit.get().id() + " is already " + deposit.get().status());
            }
            return deposit.get();
        });
    }
}
