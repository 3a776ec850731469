package com.fetchsms.webhook.domain;

import java.util.UUID;

/**
 * A stream let in: its slot (counted in the account's cap until it closes), its account, and where it starts: after
 * {@code after}, the client's {@code Last-Event-ID} (replayed from the log) or, without one, the account's newest id
 * when it connected (live only).
 */
public record StreamAdmission(UUID slot, UUID accountId, long after) {
}
