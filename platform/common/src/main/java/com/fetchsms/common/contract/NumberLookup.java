package com.fetchsms.common.contract;

import java.util.List;

/** The answer to a {@link NumberLookupRequest}: the numbers the inventory knows (unknown ones are absent). */
public record NumberLookup(List<NumberAssignment> numbers) {
}
