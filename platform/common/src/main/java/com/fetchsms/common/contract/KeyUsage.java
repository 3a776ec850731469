package com.fetchsms.common.contract;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fetchsms.common.json.JsonConventions;

/** One key's latest use seen by a replica, in a {@link KeyUsageReport}; sent with its full precision. */
public record KeyUsage(UUID keyId,
        @JsonSerialize(using = JsonConventions.PreciseInstantSerializer.class) Instant lastUsedAt) {
}
