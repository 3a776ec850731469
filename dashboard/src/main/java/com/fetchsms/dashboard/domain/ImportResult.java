package com.fetchsms.dashboard.domain;

import java.util.List;

/** What an import did: numbers added, numbers already known, entries that are not US numbers. */
public record ImportResult(int added, int skipped, List<String> invalid) {
}
