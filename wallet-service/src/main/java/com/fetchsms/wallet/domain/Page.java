package com.fetchsms.wallet.domain;

import java.util.List;

/** One page of a keyset-paginated list; {@code next} is the cursor of the following page, null on the last. */
public record Page<T>(List<T> items, String next) {
}
