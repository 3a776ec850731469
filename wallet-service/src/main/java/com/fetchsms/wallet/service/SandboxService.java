package com.fetchsms.wallet.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.LedgerItem;
import com.fetchsms.wallet.domain.SandboxWallet;
import com.fetchsms.wallet.repository.AccountRepository;
import com.fetchsms.wallet.repository.LedgerRepository;
import com.fetchsms.wallet.repository.LedgerRepository.PlatformAccount;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The customers' sandboxes (decision 0024): a customer's sandbox twin is made with its first test key, its wallet
 * holds test money credited from {@code sandbox_funding} (a starting balance, then top-ups), and purchases debit and
 * refund it exactly as a live wallet, against {@code sandbox_revenue} ({@code DebitRepository}). Sandbox money never
 * touches {@code revenue}, {@code payment_clearing} or {@code adjustments}: the database refuses a transaction that
 * mixes the two worlds.
 */
@ApplicationScoped
public class SandboxService {

    private static final Logger LOG = Logger.getLogger(SandboxService.class);

    /** How many of a sandbox wallet's latest ledger items its answer carries. */
    static final int RECENT_ENTRIES = 50;
    /** The ref of the starting balance's transaction, as the sandbox wallet's ledger shows it. */
    static final String STARTING_BALANCE_REF = "starting_balance";

    private final Pool pool;
    private final AccountRepository accounts;
    private final LedgerRepository ledger;
    private final WalletConfig config;

    public SandboxService(Pool pool, AccountRepository accounts, LedgerRepository ledger, WalletConfig config) {
        this.pool = pool;
        this.accounts = accounts;
        this.ledger = ledger;
        this.config = config;
    }

    /**
     * The sandbox twin of the customer, made in the caller's transaction when it has none yet: the twin's account, its
     * wallet and its starting balance. The caller holds the customer's account row lock, so racing first test keys
     * make one twin ({@code account.sandbox_of} is unique besides).
     */
    Uni<UUID> twinOf(SqlConnection tx, UUID customer) {
        return accounts.findTwin(tx, customer).chain(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            UUID twin = UUID.randomUUID();
            return accounts.insertTwin(tx, twin, customer)
                    .call(() -> ledger.createWallet(tx, twin))
                    .call(() -> fund(tx, twin, config.sandbox().startingBalanceCents(), STARTING_BALANCE_REF))
                    .invoke(() -> LOG.debugf("Sandbox twin %s made for account %s", twin, customer));
        });
    }

    private Uni<Void> fund(SqlConnection tx, UUID twin, long cents, String ref) {
        if (cents <= 0) {
            return Uni.createFrom().voidItem();
        }
        return ledger.move(tx, twin, cents)
                .chain(moved -> ledger.book(tx, UUID.randomUUID(), LedgerItem.TOP_UP, ref, null, null,
                        moved.orElseThrow(), cents, PlatformAccount.SANDBOX_FUNDING))
                .replaceWithVoid();
    }

    /** The sandbox wallet of a twin (a test key's account): balance and latest entries. */
    public Uni<SandboxWallet> wallet(UUID twin) {
        return ledger.balance(pool, twin).chain(balance -> {
            long cents = balance.orElseThrow(() -> ApiException.notFound("No sandbox wallet for this key"));
            return ledger.entries(pool, twin, null, RECENT_ENTRIES).map(entries -> new SandboxWallet(cents,
                    WalletService.CURRENCY, entries.stream().map(LedgerRepository.Entry::item).toList()));
        });
    }

    /** The sandbox wallet of the customer's twin (a dashboard session); 404 before the customer's first test key. */
    public Uni<SandboxWallet> walletOfCustomer(UUID customer) {
        return accounts.findTwin(pool, customer).chain(twin -> twin.map(this::wallet).orElseGet(
                () -> Uni.createFrom().failure(ApiException.notFound("No sandbox yet: it is made with the first "
                        + "test key (POST /v1/api-keys with \"mode\": \"test\")"))));
    }

    /**
     * Credits test money to the twin's wallet at once, from {@code sandbox_funding}: 1 to {@code max-top-up-cents},
     * and never above {@code max-balance-cents} (422). The cap is part of the wallet's update, so racing top-ups
     * cannot pass it.
     */
    public Uni<LedgerItem> topUp(UUID twin, long amountCents) {
        long maxTopUp = config.sandbox().maxTopUpCents();
        long maxBalance = config.sandbox().maxBalanceCents();
        if (amountCents < 1 || amountCents > maxTopUp) {
            throw ApiException.unprocessable("'amount_cents' must be between 1 and " + maxTopUp);
        }
        UUID transactionId = UUID.randomUUID();
        return pool.withTransaction(tx -> ledger.credit(tx, twin, amountCents, maxBalance).chain(moved -> {
            if (moved.isEmpty()) {
                return ledger.balance(tx, twin).chain(balance -> Uni.createFrom().failure(balance.isEmpty()
                        ? ApiException.notFound("No sandbox wallet for this key")
                        : ApiException.unprocessable("'amount_cents' would take the sandbox balance above "
                                + maxBalance + " cents (balance: " + balance.get() + " cents)")));
            }
            return ledger.book(tx, transactionId, LedgerItem.TOP_UP, null, null, null, moved.get(), amountCents,
                    PlatformAccount.SANDBOX_FUNDING)
                    .map(booking -> new LedgerItem(transactionId, LedgerItem.TOP_UP, amountCents,
                            moved.get().balanceAfterCents(), null, booking.createdAt()));
        }));
    }
}
