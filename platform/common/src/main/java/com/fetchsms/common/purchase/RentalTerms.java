package com.fetchsms.common.purchase;

import java.util.List;

/**
 * The terms a long-term rental is sold for, in days: the one list the rental service checks a request against and the
 * catalog names in its refusals (the catalog's price table holds a price for each).
 */
public final class RentalTerms {

    /** The terms sold, shortest first. */
    public static final List<Integer> DAYS = List.of(1, 7, 30, 90, 365);
    /** The terms as a client reads them (a constant, for annotations' messages; {@link #DAYS} in words). */
    public static final String TEXT = "1, 7, 30, 90, 365";

    private RentalTerms() {
    }

    static {
        if (!TEXT.equals(String.join(", ", DAYS.stream().map(String::valueOf).toList()))) {
            throw new ExceptionInInitializerError("RentalTerms.TEXT must list RentalTerms.DAYS");
        }
    }

    public static boolean isSold(int days) {
        return DAYS.contains(days);
    }
}
