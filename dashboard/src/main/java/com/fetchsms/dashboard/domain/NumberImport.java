package com.fetchsms.dashboard.domain;

import java.util.List;

/** The body of {@code POST /v1/admin/numbers}: {@code invalid} {@code skip} imports the valid ones and lists the rest. */
public record NumberImport(String gatewayId, List<String> numbers, String invalid) {
}
