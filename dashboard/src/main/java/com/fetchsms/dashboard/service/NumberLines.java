package com.fetchsms.dashboard.service;

import java.util.ArrayList;
import java.util.List;

/**
 * The numbers an operator pasted or uploaded, one per line: plain lines, or CSV whose first column is the number (a
 * first line without a digit is a header). Blank lines are skipped. Each entry keeps its line number, for the
 * per-line report of an import.
 */
public final class NumberLines {

    /** One entry: where it came from ({@code line 3}, {@code file line 3}) and the text given. */
    public record Line(String where, String value) {
    }

    private NumberLines() {
    }

    /** The entries of one source; {@code label} names it in the report ({@code "line"}, {@code "file line"}). */
    public static List<Line> parse(String text, String label) {
        List<Line> lines = new ArrayList<>();
        if (text == null) {
            return lines;
        }
        String[] raw = text.replace("\uFEFF", "").split("\r\n|\r|\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String value = firstField(raw[i]).trim();
            if (value.isEmpty() || i == 0 && value.chars().noneMatch(Character::isDigit)) {
                continue;
            }
            lines.add(new Line(label + " " + (i + 1), value));
        }
        return lines;
    }

    /** The first CSV field of a line (quotes removed); the whole line when it has no separator. */
    static String firstField(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("\"")) {
            int end = trimmed.indexOf('"', 1);
            return end < 0 ? trimmed.substring(1) : trimmed.substring(1, end);
        }
        int comma = trimmed.indexOf(',');
        int semicolon = trimmed.indexOf(';');
        int cut = comma < 0 ? semicolon : semicolon < 0 ? comma : Math.min(comma, semicolon);
        return cut < 0 ? trimmed : trimmed.substring(0, cut);
    }
}
