package com.fetchsms.wallet.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.wallet.config.WalletConfig;
import com.fetchsms.wallet.domain.Page;
import com.fetchsms.wallet.domain.SupportMessage;
import com.fetchsms.wallet.domain.SupportTicket;
import com.fetchsms.wallet.repository.AccountRepository;
import com.fetchsms.wallet.repository.SupportRepository;
import com.fetchsms.wallet.repository.SupportRepository.Position;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Support tickets: a customer opens one with its first message, then the customer and the operators write in turn. A
 * customer's message makes the ticket {@code open} (waiting for an operator), an operator's {@code answered} (waiting
 * for the customer); either side closes it, for good. Each change of a ticket, with its message, is one transaction that
 * locks the ticket's row, so concurrent replies are all kept, in order, and a reply racing a close is either before it
 * or refused (409). A customer sees only its own tickets (another's is 404); operators see all.
 */
@ApplicationScoped
public class SupportService {

    public static final int MAX_SUBJECT = 200;
    public static final int MAX_BODY = 5000;

    private final Pool pool;
    private final SupportRepository tickets;
    private final AccountRepository accounts;
    private final WalletConfig config;

    public SupportService(Pool pool, SupportRepository tickets, AccountRepository accounts, WalletConfig config) {
        this.pool = pool;
        this.tickets = tickets;
        this.accounts = accounts;
        this.config = config;
    }

    // ---------------------------------------------------------------- the customer

    /**
     * Opens a ticket of the customer with its first message. The account row is locked, so concurrent openings count
     * each other: at most {@code max-open-per-account} tickets not closed (422 beyond).
     */
    public Uni<SupportTicket> open(UUID customer, String subject, String body) {
        String title = text(subject, "subject", MAX_SUBJECT, false);
        String message = text(body, "body", MAX_BODY, true);
        int max = config.support().maxOpenPerAccount();
        UUID id = UUID.randomUUID();
        return pool.withTransaction(tx -> accounts.lock(tx, customer).chain(exists -> {
            if (!exists) {
                return Uni.createFrom().failure(AccountService.unknownSession());
            }
            return tickets.countNotClosed(tx, customer);
        }).chain(notClosed -> {
            if (notClosed >= max) {
                return Uni.createFrom().failure(ApiException.unprocessable("An account may have at most " + max
                        + " support tickets that are not closed; close one first"));
            }
            return tickets.insert(tx, id, customer, title);
        }).chain(at -> tickets.insertMessage(tx, UUID.randomUUID(), id, SupportMessage.CUSTOMER, customer, message,
                at))
                .chain(() -> withMessages(tx, id, customer)));
    }

    /** The customer's tickets (without messages), most recently changed first; {@code before}: the last one seen. */
    public Uni<Page<SupportTicket>> list(UUID customer, UUID before, int limit) {
        return cursor(before, () -> tickets.position(pool, before, customer, null), "one of your tickets")
                .chain(after -> tickets.ofCustomer(pool, customer, after, limit + 1))
                .map(found -> page(found, limit));
    }

    /** One of the customer's tickets with its messages; 404 when not the customer's. */
    public Uni<SupportTicket> ticket(UUID customer, UUID id) {
        return withMessages(pool, id, customer);
    }

    /** The customer's reply: the ticket becomes {@code open} again; 409 when it is closed. */
    public Uni<SupportTicket> reply(UUID customer, UUID id, String body) {
        return write(id, customer, SupportMessage.CUSTOMER, customer, SupportTicket.OPEN, body);
    }

    /** Closes one of the customer's tickets (the same answer when it was closed already). */
    public Uni<SupportTicket> close(UUID customer, UUID id) {
        return shut(id, customer);
    }

    // ---------------------------------------------------------------- the operators

    /**
     * The tickets of one status: {@code open} ones the longest waiting first (by their last change, ascending), the
     * others the most recently changed first; {@code before}: the last one seen, which must still have that status.
     */
    public Uni<Page<SupportTicket>> queue(String status, UUID before, int limit) {
        boolean oldestFirst = SupportTicket.OPEN.equals(status);
        return cursor(before, () -> tickets.position(pool, before, null, status),
                "a ticket of this queue (it may have changed since: start again from the first page)")
                .chain(after -> tickets.queue(pool, status, oldestFirst, after, limit + 1))
                .map(found -> page(found, limit));
    }

    /** Any ticket with its messages; 404 when there is none. */
    public Uni<SupportTicket> ticketForOperator(UUID id) {
        return withMessages(pool, id, null);
    }

    /** An operator's answer: the ticket becomes {@code answered}; 409 when it is closed. */
    public Uni<SupportTicket> answer(UUID operator, UUID id, String body) {
        return write(id, null, SupportMessage.OPERATOR, operator, SupportTicket.ANSWERED, body);
    }

    /** Closes any ticket (the same answer when it was closed already). */
    public Uni<SupportTicket> closeForOperator(UUID id) {
        return shut(id, null);
    }

    // ---------------------------------------------------------------- both

    /**
     * Adds a message to a ticket that is not closed and sets its status, in one transaction: the ticket's row is locked
     * first, so the message's place and time follow every change committed before.
     */
    private Uni<SupportTicket> write(UUID id, UUID customer, String author, UUID authorAccountId, String status,
            String body) {
        String message = text(body, "body", MAX_BODY, true);
        return pool.withTransaction(tx -> tickets.change(tx, id, customer, status).chain(changed -> {
            if (changed.isEmpty()) {
                return tickets.status(tx, id, customer).chain(current -> Uni.createFrom().failure(current.isEmpty()
                        ? notFound(id)
                        : ApiException.conflict("The ticket is closed; open a new one")));
            }
            OffsetDateTime at = changed.get();
            return tickets.insertMessage(tx, UUID.randomUUID(), id, author, authorAccountId, message, at)
                    .chain(() -> withMessages(tx, id, customer));
        }));
    }

    /** Closes a ticket that is not closed; a closed one is answered as it is. */
    private Uni<SupportTicket> shut(UUID id, UUID customer) {
        return pool.withTransaction(tx -> tickets.change(tx, id, customer, SupportTicket.CLOSED)
                .chain(() -> withMessages(tx, id, customer)));
    }

    private Uni<SupportTicket> withMessages(SqlClient db, UUID id, UUID customer) {
        return tickets.find(db, id, customer).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(notFound(id));
            }
            return tickets.messages(db, id).map(messages -> found.get().withMessages(messages));
        });
    }

    /** The position of the cursor {@code before} (none when null); 422 when it is not in the list. */
    private static Uni<Position> cursor(UUID before, Supplier<Uni<Optional<Position>>> position, String what) {
        if (before == null) {
            return Uni.createFrom().nullItem();
        }
        return position.get().map(found -> found.orElseThrow(() -> ApiException.unprocessable(
                "'before' is not " + what)));
    }

    private static Page<SupportTicket> page(List<SupportTicket> found, int limit) {
        boolean more = found.size() > limit;
        List<SupportTicket> items = found.stream().limit(limit).toList();
        return new Page<>(items, more ? items.get(items.size() - 1).id().toString() : null);
    }

    /**
     * A subject or message body as stored: no control character (line breaks allowed in a body) nor broken Unicode
     * (400), without surrounding white space, 1 to {@code max} characters (422).
     */
    static String text(String value, String field, int max, boolean multiLine) {
        if (value == null) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        String stripped = (multiLine ? TextGuard.multiLine(value, field) : TextGuard.singleLine(value, field))
                .strip();
        if (stripped.isEmpty() || stripped.codePointCount(0, stripped.length()) > max) {
            throw ApiException.unprocessable("'" + field + "' must be 1 to " + max + " characters");
        }
        return stripped;
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("No support ticket " + id);
    }
}
