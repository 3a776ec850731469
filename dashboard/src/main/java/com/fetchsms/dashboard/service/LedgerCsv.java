package com.fetchsms.dashboard.service;

import java.util.List;

import com.fetchsms.dashboard.domain.LedgerEntry;

/** The ledger as CSV (RFC 4180): one header line, one line per movement, amounts in cents and in dollars. */
public final class LedgerCsv {

    private LedgerCsv() {
    }

    public static String write(List<LedgerEntry> entries) {
        StringBuilder csv = new StringBuilder(
                "id,created_at,type,amount_cents,amount_usd,balance_after_cents,balance_after_usd,ref\r\n");
        for (LedgerEntry e : entries) {
            csv.append(e.id()).append(',').append(e.createdAt()).append(',').append(field(e.type())).append(',')
                    .append(e.amountCents()).append(',').append(Money.dollars(e.amountCents())).append(',')
                    .append(e.balanceAfterCents()).append(',').append(Money.dollars(e.balanceAfterCents()))
                    .append(',').append(field(e.ref())).append("\r\n");
        }
        return csv.toString();
    }

    /**
     * One field: quoted when it holds a separator, a quote or a line break; a leading {@code = + - @} is prefixed with
     * a quote mark so that a spreadsheet never runs it as a formula.
     */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
