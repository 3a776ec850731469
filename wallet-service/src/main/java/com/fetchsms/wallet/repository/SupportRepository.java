package com.fetchsms.wallet.repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.wallet.domain.SupportMessage;
import com.fetchsms.wallet.domain.SupportTicket;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Support tickets and their messages. A change to a ticket ({@link #change}) locks its row and gives the time of the
 * change, which its new message takes: concurrent changes of one ticket queue on the row, so its messages are
 * numbered ({@code seq}) in the order they commit. Where a method takes a {@code customer}, only that account's
 * tickets are found; {@code null} (an operator) finds any.
 */
@ApplicationScoped
public class SupportRepository {

    /** Where a ticket stands in a list: its last change, then its id. */
    public record Position(OffsetDateTime updatedAt, UUID id) {
    }

    private static final String TICKETS = """
            SELECT t.id, t.subject, t.status, t.account_id, a.email, t.created_at, t.updated_at
            FROM support_ticket t JOIN account a ON a.id = t.account_id
            """;

    /** The customer's tickets that are not closed. */
    public Uni<Long> countNotClosed(SqlClient db, UUID customer) {
        return db.preparedQuery("SELECT count(*) FROM support_ticket WHERE account_id = $1 AND status <> 'closed'")
                .execute(Tuple.of(customer)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** A new open ticket of the customer; answers its creation time (which its first message takes). */
    public Uni<OffsetDateTime> insert(SqlClient db, UUID id, UUID customer, String subject) {
        return db.preparedQuery("""
                INSERT INTO support_ticket (id, account_id, subject, status, created_at, updated_at)
                SELECT $1, $2, $3, 'open', now.at, now.at FROM (SELECT clock_timestamp() AS at) now
                RETURNING created_at""")
                .execute(Tuple.of(id, customer, subject))
                .map(rows -> rows.iterator().next().getOffsetDateTime("created_at"));
    }

    /**
     * Sets the status of a ticket that is not closed and marks it changed now (never earlier than its last change),
     * locking its row until the transaction ends. Empty when there is no such ticket (of the customer) or it is
     * closed: {@link #status} tells which.
     */
    public Uni<Optional<OffsetDateTime>> change(SqlClient db, UUID id, UUID customer, String status) {
        return db.preparedQuery("UPDATE support_ticket SET status = $2,"
                + " updated_at = GREATEST(clock_timestamp(), updated_at) WHERE id = $1 AND status <> 'closed'"
                + (customer == null ? "" : " AND account_id = $3") + " RETURNING updated_at")
                .execute(customer == null ? Tuple.of(id, status) : Tuple.of(id, status, customer))
                .map(rows -> Rows.first(rows, row -> row.getOffsetDateTime("updated_at")));
    }

    /** The status of a ticket (of the customer); empty when there is none. */
    public Uni<Optional<String>> status(SqlClient db, UUID id, UUID customer) {
        return db.preparedQuery("SELECT status FROM support_ticket WHERE id = $1"
                + (customer == null ? "" : " AND account_id = $2"))
                .execute(customer == null ? Tuple.of(id) : Tuple.of(id, customer))
                .map(rows -> Rows.first(rows, row -> row.getString("status")));
    }

    public Uni<Void> insertMessage(SqlClient db, UUID id, UUID ticketId, String author, UUID authorAccountId,
            String body, OffsetDateTime at) {
        return db.preparedQuery("""
                INSERT INTO support_message (id, ticket_id, author, author_account_id, body, created_at)
                VALUES ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(ticketId).addString(author).addUUID(authorAccountId)
                        .addString(body).addOffsetDateTime(at))
                .replaceWithVoid();
    }

    /** A ticket (of the customer) without its messages; empty when there is none. */
    public Uni<Optional<SupportTicket>> find(SqlClient db, UUID id, UUID customer) {
        return db.preparedQuery(TICKETS + " WHERE t.id = $1" + (customer == null ? "" : " AND t.account_id = $2"))
                .execute(customer == null ? Tuple.of(id) : Tuple.of(id, customer))
                .map(rows -> Rows.first(rows, SupportRepository::ticket));
    }

    /** A ticket's messages, oldest first. */
    public Uni<List<SupportMessage>> messages(SqlClient db, UUID ticketId) {
        return db.preparedQuery("SELECT id, author, body, created_at FROM support_message WHERE ticket_id = $1"
                + " ORDER BY seq")
                .execute(Tuple.of(ticketId)).map(rows -> {
                    List<SupportMessage> messages = new ArrayList<>();
                    rows.forEach(row -> messages.add(new SupportMessage(row.getUUID("id"), row.getString("author"),
                            row.getString("body"), Rows.instant(row, "created_at"))));
                    return messages;
                });
    }

    /**
     * Where the ticket stands in a list: the customer's ({@code customer} not null), or the queue of {@code status}
     * (not null). Empty when it is not in that list.
     */
    public Uni<Optional<Position>> position(SqlClient db, UUID id, UUID customer, String status) {
        StringBuilder sql = new StringBuilder("SELECT updated_at, id FROM support_ticket WHERE id = $1");
        Tuple args = Tuple.of(id);
        if (customer != null) {
            args.addUUID(customer);
            sql.append(" AND account_id = $").append(args.size());
        }
        if (status != null) {
            args.addString(status);
            sql.append(" AND status = $").append(args.size());
        }
        return db.preparedQuery(sql.toString()).execute(args)
                .map(rows -> Rows.first(rows, row -> new Position(row.getOffsetDateTime("updated_at"),
                        row.getUUID("id"))));
    }

    /** The customer's tickets, most recently changed first, after {@code after} (from the start when null). */
    public Uni<List<SupportTicket>> ofCustomer(SqlClient db, UUID customer, Position after, int limit) {
        Tuple args = Tuple.of(customer, limit);
        String from = "";
        if (after != null) {
            args.addOffsetDateTime(after.updatedAt()).addUUID(after.id());
            from = " AND (t.updated_at, t.id) < ($3, $4)";
        }
        return db.preparedQuery(TICKETS + " WHERE t.account_id = $1" + from
                + " ORDER BY t.updated_at DESC, t.id DESC LIMIT $2")
                .execute(args).map(SupportRepository::tickets);
    }

    /**
     * The tickets of one status, after {@code after} (from the start when null): by their last change, the oldest first
     * when {@code oldestFirst} (the open tickets: the longest waiting first), else the newest first.
     */
    public Uni<List<SupportTicket>> queue(SqlClient db, String status, boolean oldestFirst, Position after,
            int limit) {
        Tuple args = Tuple.of(status, limit);
        String from = "";
        if (after != null) {
            args.addOffsetDateTime(after.updatedAt()).addUUID(after.id());
            from = " AND (t.updated_at, t.id) " + (oldestFirst ? ">" : "<") + " ($3, $4)";
        }
        String order = oldestFirst ? "ASC" : "DESC";
        return db.preparedQuery(TICKETS + " WHERE t.status = $1" + from
                + " ORDER BY t.updated_at " + order + ", t.id " + order + " LIMIT $2")
                .execute(args).map(SupportRepository::tickets);
    }

    private static List<SupportTicket> tickets(RowSet<Row> rows) {
        List<SupportTicket> tickets = new ArrayList<>();
        rows.forEach(row -> tickets.add(ticket(row)));
        return tickets;
    }

    private static SupportTicket ticket(Row row) {
        return new SupportTicket(row.getUUID("id"), row.getString("subject"), row.getString("status"),
                row.getUUID("account_id"), row.getString("email"), Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"), null);
    }
}
