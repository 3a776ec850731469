-- Support tickets: a customer's question and the conversation with the operators (/v1/support/tickets,
-- /v1/admin/support/tickets). A ticket is open (waiting for an operator), answered (waiting for the customer) or
-- closed (for good: a reply to it is refused). updated_at is the time of its last change (its last message, or its
-- closing): the operators' queue of open tickets is ordered by it, the longest waiting first.
CREATE TABLE support_ticket (
    id         UUID PRIMARY KEY,
    account_id UUID        NOT NULL REFERENCES account (id),
    subject    TEXT        NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
    status     TEXT        NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (updated_at >= created_at)
);
-- A customer's tickets, most recently changed first (and its tickets not closed, counted against the cap).
CREATE INDEX support_ticket_account ON support_ticket (account_id, updated_at DESC, id DESC);
-- The operators' queues: one status, by updated_at (ascending for open, descending for the others).
CREATE INDEX support_ticket_queue ON support_ticket (status, updated_at, id);

-- The messages of a ticket, in the order they were written: seq, taken while the ticket's row is locked by the change
-- that adds the message, so concurrent replies are both kept, in the order they committed. author_account_id is the
-- customer's account, or the operator's (an administrator's session; not a reference, like a ledger transaction's
-- created_by).
CREATE TABLE support_message (
    seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                UUID        NOT NULL UNIQUE,
    ticket_id         UUID        NOT NULL REFERENCES support_ticket (id),
    author            TEXT        NOT NULL CHECK (author IN ('customer', 'operator')),
    author_account_id UUID        NOT NULL,
    body              TEXT        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_message_ticket ON support_message (ticket_id, seq);
