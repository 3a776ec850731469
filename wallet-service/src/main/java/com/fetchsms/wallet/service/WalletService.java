package com.fetchsms.wallet.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.ids.Hashes;
import com.fetchsms.common.input.IdempotencyKeys;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.events.WalletDebited;
import com.fetchsms.common.events.WalletRefunded;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.AccountLedgerItem;
import com.fetchsms.wallet.domain.Adjustment;
import com.fetchsms.common.contract.Debit;
import com.fetchsms.wallet.domain.LedgerItem;
import com.fetchsms.wallet.domain.Page;
import com.fetchsms.wallet.domain.Refund;
import com.fetchsms.wallet.domain.Wallet;
import com.fetchsms.wallet.repository.AccountRepository;
import com.fetchsms.wallet.repository.AdjustmentRepository;
import com.fetchsms.wallet.repository.DebitRepository;
import com.fetchsms.wallet.repository.LedgerRepository;
import com.fetchsms.wallet.repository.LedgerRepository.PlatformAccount;
import com.fetchsms.wallet.repository.LedgerRepository.WalletMove;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * Wallets and their money movements. Every movement is one database transaction that changes the wallet row (locked,
 * never below zero), books a balanced ledger transaction against a platform account and, for refunds (and debits
 * when {@code fetchsms.wallet.debit-events} is on), writes its event to the outbox. Debits are idempotent on the purchase id; each debit is refunded at most once.
 */
@ApplicationScoped
public class WalletService {

    private static final Logger LOG = Logger.getLogger(WalletService.class);

    public static final String CURRENCY = "USD";
    /** Largest single debit accepted (a guard against nonsense, far above any price). */
    static final long MAX_DEBIT_CENTS = 100_000_000L;

    /** A debit and whether this call made it (false: the purchase had already been debited). */
    public record DebitOutcome(Debit debit, boolean created) {
    }

    private final Pool pool;
    private final LedgerRepository ledger;
    private final DebitRepository debits;
    private final Outbox outbox;
    private final WalletConfig config;
    private final AccountRepository accounts;
    private final AdjustmentRepository adjustments;

    public WalletService(Pool pool, LedgerRepository ledger, DebitRepository debits, Outbox outbox,
            WalletConfig config, AccountRepository accounts, AdjustmentRepository adjustments) {
        this.accounts = accounts;
        this.adjustments = adjustments;
        this.pool = pool;
        this.ledger = ledger;
        this.debits = debits;
        this.outbox = outbox;
        this.config = config;
    }

    /** The account's wallet, for another service: 404 when there is no such account. */
    public Uni<Wallet> walletOf(UUID accountId) {
        return ledger.balance(pool, accountId).map(balance -> new Wallet(
                balance.orElseThrow(() -> ApiException.notFound("Unknown account: " + accountId)), CURRENCY));
    }

    public Uni<Wallet> wallet(UUID accountId) {
        return ledger.balance(pool, accountId)
                .map(balance -> new Wallet(balance.orElseThrow(AccountService::unknownSession), CURRENCY));
    }

    /** The wallet's ledger, newest first; {@code before} is the id of the last item of the previous page. */
    public Uni<Page<LedgerItem>> ledger(UUID accountId, UUID before, int limit) {
        return entries(accountId, before, limit).map(page -> new Page<>(
                page.items().stream().map(LedgerRepository.Entry::item).toList(), page.next()));
    }

    /**
     * An account's ledger for an administrator: the customer's ledger, page for page, with the reason of each
     * adjustment. 404 when there is no such account.
     */
    public Uni<Page<AccountLedgerItem>> ledgerOf(UUID accountId, UUID before, int limit) {
        return ledger.balance(pool, accountId).chain(wallet -> {
            if (wallet.isEmpty()) {
                return Uni.createFrom().failure(ApiException.notFound("Unknown account " + accountId));
            }
            return entries(accountId, before, limit);
        }).map(page -> new Page<>(
                page.items().stream().map(entry -> AccountLedgerItem.of(entry.item(), entry.reason())).toList(),
                page.next()));
    }

    /** One page of the wallet's entries, newest first, after the item {@code before} (422 when not the wallet's). */
    private Uni<Page<LedgerRepository.Entry>> entries(UUID accountId, UUID before, int limit) {
        Uni<Optional<Long>> cursor = before == null
                ? Uni.createFrom().item(Optional.empty())
                : ledger.position(pool, accountId, before).map(found -> {
                    if (found.isEmpty()) {
                        throw ApiException.unprocessable("'before' is not an entry of this wallet's ledger");
                    }
                    return found;
                });
        return cursor.chain(seq -> ledger.entries(pool, accountId, seq.orElse(null), limit + 1)).map(entries -> {
            boolean more = entries.size() > limit;
            List<LedgerRepository.Entry> items = entries.stream().limit(limit).toList();
            return new Page<>(items, more ? items.get(items.size() - 1).item().id().toString() : null);
        });
    }

    // ---------------------------------------------------------------- debits

    /**
     * Debits a purchase. The same purchase again with the same account and amount answers the first debit (no second
     * one); with another account or amount it is a 409. 402 when the wallet cannot pay, 404 for an unknown account.
     * The debit is one statement ({@link DebitRepository#debit}); with {@code fetchsms.wallet.debit-events} on, its
     * {@code wallet.debited} event is written in the same transaction, else the statement commits on its own
     * (decision 0035).
     */
    public Uni<DebitOutcome> debit(UUID purchaseId, UUID accountId, long amountCents, String ref) {
        if (purchaseId == null) {
            throw ApiException.badRequest("'purchase_id' is required");
        }
        if (accountId == null) {
            throw ApiException.badRequest("'account_id' is required");
        }
        if (amountCents <= 0 || amountCents > MAX_DEBIT_CENTS) {
            throw ApiException.unprocessable("'amount_cents' must be between 1 and " + MAX_DEBIT_CENTS);
        }
        TextGuard.singleLine(ref, "ref");
        if (ref != null && (ref.isBlank() || ref.length() > 100)) {
            throw ApiException.unprocessable("'ref' must be 1 to 100 characters");
        }
        UUID transactionId = UUID.randomUUID();
        Uni<DebitOutcome> debited = config.debitEvents()
                // the debit and its event commit together
                ? pool.withTransaction(tx -> debits.debit(tx, purchaseId, accountId, amountCents, ref, transactionId)
                        .chain(result -> outcome(tx, result, purchaseId, accountId, amountCents, ref, transactionId)))
                // no event: the debit statement is its own transaction (autocommit), one round trip
                : debits.debit(pool, purchaseId, accountId, amountCents, ref, transactionId)
                        .chain(result -> outcome(null, result, purchaseId, accountId, amountCents, ref,
                                transactionId));
        return debited.onFailure(WalletService::isConcurrentDebit)
                // the same purchase was debited by a concurrent call that committed first: answer that one
                .recoverWithUni(() -> debits.find(pool, purchaseId)
                        .map(found -> replay(found.orElseThrow(), accountId, amountCents)));
    }

    /**
     * What a debit statement's result answers: the debit it created (with its {@code wallet.debited} event written on
     * {@code tx} when debit events are on; {@code tx} is null otherwise), the purchase's earlier debit, or why nothing
     * moved.
     */
    private Uni<DebitOutcome> outcome(SqlConnection tx, DebitRepository.DebitResult result, UUID purchaseId,
            UUID accountId, long amountCents, String ref, UUID transactionId) {
        if (result.prior().isPresent()) {
            return Uni.createFrom().item(replay(result.prior().get(), accountId, amountCents));
        }
        if (result.created().isPresent()) {
            Debit debit = result.created().get();
            DebitOutcome created = new DebitOutcome(debit, true);
            return tx == null
                    ? Uni.createFrom().item(created)
                    : outbox.publish(tx, new WalletDebited(purchaseId, accountId, amountCents,
                            debit.balanceAfterCents(), transactionId, ref, debit.createdAt())).replaceWith(created);
        }
        // Nothing moved. A call for the same purchase that was debiting concurrently held the wallet row and may have
        // spent the balance this call saw: a fresh snapshot (a new statement) tells a replay from a 402.
        return debits.whyNotDebited(tx != null ? tx : pool, purchaseId, accountId).map(why -> {
            if (why.prior().isPresent()) {
                return replay(why.prior().get(), accountId, amountCents);
            }
            throw why.balance().isEmpty()
                    ? ApiException.notFound("Unknown account " + accountId)
                    : ApiException.paymentRequired("Insufficient balance: " + amountCents + " cents needed, "
                            + why.balance().get() + " cents available");
        });
    }

    private static DebitOutcome replay(Debit existing, UUID accountId, long amountCents) {
        if (!existing.accountId().equals(accountId) || existing.amountCents() != amountCents) {
            throw ApiException.conflict("Purchase " + existing.purchaseId() + " was already debited "
                    + existing.amountCents() + " cents from another account or for another amount");
        }
        return new DebitOutcome(existing, false);
    }

    private static boolean isConcurrentDebit(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && "debit_pkey".equals(pg.getConstraint());
    }

    // ---------------------------------------------------------------- refunds

    /**
     * Refunds the purchase's debit inside the caller's transaction, exactly once: the first caller marks the debit
     * refunded (row lock, {@code refunded_at IS NULL}); every later one, and a purchase that was never debited, finds
     * nothing to do. The amount refunded is the amount debited.
     */
    public Uni<Optional<Refund>> refund(SqlConnection tx, UUID purchaseId, String reason) {
        UUID transactionId = UUID.randomUUID();
        return debits.refund(tx, purchaseId, reason, transactionId).chain(refunded -> {
            if (refunded.isEmpty()) {
                return Uni.createFrom().item(Optional.<Refund>empty());
            }
            DebitRepository.Refunded debit = refunded.get();
            Refund refund = new Refund(purchaseId, debit.accountId(), debit.amountCents(), debit.balanceAfterCents(),
                    transactionId, reason, debit.createdAt());
            LOG.debugf("Refunded %d cents of purchase %s (%s)", debit.amountCents(), purchaseId, reason);
            return outbox.publish(tx, new WalletRefunded(purchaseId, debit.accountId(), debit.amountCents(),
                    debit.balanceAfterCents(), transactionId, reason, debit.createdAt()))
                    .replaceWith(Optional.of(refund));
        });
    }

    // ---------------------------------------------------------------- adjustments

    /**
     * An administrator's correction: credits (or, negative, takes back) {@code amountCents}, never below zero (409). A
     * sandbox twin's wallet holds test money, which is never adjusted (422: it is topped up with its test key). With
     * an {@code idempotencyKey}, the same key of the same administrator answers the adjustment it booked (no second
     * movement, even when both requests arrive at once); the same key with another account, amount or reason is 422. A
     * refused adjustment keeps no key: a retry is judged again.
     */
    public Uni<Adjustment> adjust(UUID adminId, UUID accountId, long amountCents, String reason,
            String idempotencyKey) {
        long max = config.maxAdjustmentCents();
        if (amountCents == 0 || Math.abs(amountCents) > max) {
            throw ApiException.unprocessable(
                    "'amount_cents' must be non-zero and between -" + max + " and " + max);
        }
        if (reason == null || reason.isBlank()) {
            throw ApiException.badRequest("'reason' is required");
        }
        String memo = TextGuard.multiLine(reason.strip(), "reason");
        if (memo.length() > 500) {
            throw ApiException.unprocessable("'reason' must be at most 500 characters");
        }
        if (idempotencyKey == null) {
            return pool.withTransaction(tx -> book(tx, adminId, accountId, amountCents, memo, UUID.randomUUID()));
        }
        String requestHash = Hashes.sha256Hex(accountId + "|" + amountCents + "|" + memo);
        return adjustments.findByKey(pool, adminId, idempotencyKey).chain(previous -> previous.isPresent()
                ? replay(previous.get(), requestHash)
                : pool.withTransaction(tx -> {
                    UUID transactionId = UUID.randomUUID();
                    return adjustments.claim(tx, adminId, idempotencyKey, requestHash, accountId, transactionId)
                            .chain(claimed -> claimed
                                    ? book(tx, adminId, accountId, amountCents, memo, transactionId)
                                    : Uni.createFrom().<Adjustment>nullItem());
                }).chain(booked -> booked != null
                        ? Uni.createFrom().item(booked)
                        // A request with the same key booked first (they raced): answer its adjustment.
                        : adjustments.findByKey(pool, adminId, idempotencyKey)
                                .chain(raced -> replay(raced.orElseThrow(), requestHash))));
    }

    private static Uni<Adjustment> replay(AdjustmentRepository.Keyed first, String requestHash) {
        return Uni.createFrom().item(() -> {
            IdempotencyKeys.requireSameRequest(first.requestHash(), requestHash);
            return first.adjustment();
        });
    }

    private Uni<Adjustment> book(SqlConnection tx, UUID adminId, UUID accountId, long amountCents, String memo,
            UUID transactionId) {
        return accounts.isTwin(tx, accountId).chain(twin -> {
            if (twin.orElse(false)) {
                return Uni.createFrom().failure(ApiException.unprocessable("Account " + accountId
                        + " is a sandbox account: its test money is topped up with its test key, never adjusted"));
            }
            return ledger.move(tx, accountId, amountCents);
        }).chain(moved -> {
            if (moved.isEmpty()) {
                return ledger.balance(tx, accountId).chain(balance -> Uni.createFrom().failure(balance.isEmpty()
                        ? ApiException.notFound("Unknown account " + accountId)
                        : ApiException.conflict("An adjustment of " + amountCents
                                + " cents would take the balance below zero (balance: " + balance.get()
                                + " cents)")));
            }
            WalletMove wallet = moved.get();
            return ledger.book(tx, transactionId, LedgerItem.ADJUSTMENT, null, memo, adminId, wallet, amountCents,
                    PlatformAccount.ADJUSTMENTS)
                    .map(booking -> new Adjustment(transactionId, accountId, LedgerItem.ADJUSTMENT, amountCents,
                            wallet.balanceAfterCents(), null, memo, booking.createdAt()));
        });
    }
}
