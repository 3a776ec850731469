package com.fetchsms.common.contract;

import java.time.Instant;
import java.util.UUID;

/**
 * Which gateway serves a number and the number's state, as {@code inventory.numbers} carries it; {@code changedAt} is
 * the row's last update, so a reader that keeps the newest state per number can merge it with the topic's events.
 */
public record NumberAssignment(String number, UUID gatewayId, String state, Instant changedAt) {
}
