package com.fetchsms.common.contract;

import java.util.List;

/**
 * {@code POST /internal/api-keys/usage} (wallet-service, answered 204): the last use of each key a replica saw since
 * its previous report, in one request per {@code fetchsms.api-keys.usage-flush-interval}. wallet-service checks the
 * fields (400 {@code 'usages' is required}, {@code usages[i] needs 'key_id' and 'last_used_at'}; 422 beyond its batch
 * limit), ignores unknown keys and only moves a key's {@code last_used_at} forward.
 */
public record KeyUsageReport(List<KeyUsage> usages) {
}
