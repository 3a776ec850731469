package com.fetchsms.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints each scenario as it ends, and at the end the summary as a Markdown table (for docs/performance.md). */
final class Report {

    /** What a result is compared with: a sum of floors measured in the same run, named by its parts. */
    record Floor(String parts, long nanos) {
        static final Floor NONE = new Floor("", 0);
    }

    record Row(String scenario, String load, String unit, Samples.Summary summary, double rate, String keptUp,
            Floor floor, String throughputVsCeiling) {
    }

    private record Kept(Row row, String cpuPerOperation) {
    }

    private final PrintStream out;
    private final List<Kept> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Report(PrintStream out) {
        this.out = out;
    }

    static String ms(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10
                ? String.format("%.2f ms", ms)
                : ms < 100
                        ? String.format("%.1f ms", ms)
                        : String.format("%,.0f ms", ms);
    }

    static String pct(Samples.Summary s, long value) {
        return (s.lowerBound(value) ? "≥ " : "") + ms(value);
    }

    static String statuses(Map<String, Integer> statuses) {
        return statuses.entrySet().stream().map(e -> e.getKey() + " × " + String.format("%,d", e.getValue()))
                .collect(Collectors.joining(", "));
    }

    static String ratio(Samples.Summary s, Floor floor) {
        if (floor.nanos() <= 0 || s.count() == 0) {
            return "";
        }
        return String.format("%s%.1f×", s.lowerBound(s.p50()) ? "≥ " : "", s.p50() / (double) floor.nanos());
    }

    /**
     * Whether an open loop kept up: everything sent on time and answered, completions at (nearly) the offered rate, and
     * the last tenth of the run not waiting much longer than the first (no queue building up).
     */
    static String keptUp(Samples samples, double offered) {
        Samples.Summary all = samples.summary(0, samples.size());
        int tenth = Math.max(1, samples.size() / 10);
        Samples.Summary first = samples.summary(0, tenth);
        Samples.Summary last = samples.summary(samples.size() - tenth, samples.size());
        List<String> why = new ArrayList<>();
        int unsent = all.statuses().getOrDefault(Samples.label(Samples.UNSENT), 0);
        if (unsent > 0) {
            why.add(String.format("%,d never sent", unsent));
        }
        int unanswered = all.censored() - unsent;
        if (unanswered > 0) {
            why.add(String.format("%,d unanswered", unanswered));
        }
        double achieved = all.completionRate();
        if (achieved < 0.95 * offered) {
            why.add(String.format("achieved %.0f/s", achieved));
        }
        if (last.p50() > 2 * first.p50() + 50_000_000L) {
            why.add("latency grew");
        }
        String detail = String.format("last 10 %% p50 %s vs first 10 %% %s; sent late by up to %s",
                pct(last, last.p50()),
                pct(first, first.p50()), ms(all.maxSendLateness()));
        return (why.isEmpty() ? "yes" : "NO (" + String.join(", ", why) + ")") + "; " + detail;
    }

    void heading(String title) {
        out.println();
        out.println("── " + title + " " + "─".repeat(Math.max(3, 110 - title.length())));
    }

    /** Stack CPU per operation: what the work costs the machine, whatever the concurrency. */
    static String perOperation(Row row, Machine.Use cpu) {
        long operations = cpu.operations() < 0 ? row.summary().succeeded() : cpu.operations();
        String unit = row.unit().endsWith("s") ? row.unit().substring(0, row.unit().length() - 1) : row.unit();
        return operations <= 0 ? "" : String.format("%.1f ms/%s", 1000 * cpu.stackSeconds() / operations, unit);
    }

    /** Prints and keeps one result. {@code rate} is what it achieved in {@code unit}/s. */
    void add(Row row, Machine.Use cpu, String extra) {
        String perOperation = perOperation(row, cpu);
        rows.add(new Kept(row, perOperation));
        Samples.Summary s = row.summary();
        out.printf("  %s, %s: n %,d, %,.1f %s/s, p50 %s, p90 %s, p99 %s, max %s%n", row.scenario(), row.load(),
                s.count(), row.rate(), row.unit(), pct(s, s.p50()), pct(s, s.p90()), pct(s, s.p99()), pct(s, s.max()));
        out.printf("    statuses: %s%n", statuses(s.statuses()));
        if (!row.keptUp().isEmpty()) {
            out.printf("    kept up: %s%n", row.keptUp());
        }
        if (row.floor().nanos() > 0) {
            out.printf("    floor: %s = %s; p50 is %s the floor%n", row.floor().parts(), ms(row.floor().nanos()),
                    ratio(s, row.floor()));
        }
        if (!row.throughputVsCeiling().isEmpty()) {
            out.printf("    throughput: %s%n", row.throughputVsCeiling());
        }
        if (extra != null && !extra.isEmpty()) {
            out.printf("    %s%n", extra);
        }
        out.printf("    cpu: %s%s%n", cpu.text(), perOperation.isEmpty() ? "" : "; " + perOperation + " of stack CPU");
    }

    void note(String note) {
        notes.add(note);
        out.println("  " + note);
    }

    void print(String line) {
        out.println(line);
    }

    void markdown() {
        out.println();
        out.println("── Summary (Markdown) " + "─".repeat(90));
        out.println();
        out.println("| scenario | load | n | achieved | p50 | p90 | p99 | max | statuses | kept up | p50 ÷ floor"
                + " | stack CPU |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Kept kept : rows) {
            Row row = kept.row();
            Samples.Summary s = row.summary();
            String keptUp = row.keptUp().isEmpty() ? "" : row.keptUp().substring(0, row.keptUp().indexOf(';'));
            out.printf("| %s | %s | %,d | %,.1f %s/s | %s | %s | %s | %s | %s | %s | %s | %s |%n", row.scenario(),
                    row.load(), s.count(), row.rate(), row.unit(), pct(s, s.p50()), pct(s, s.p90()), pct(s, s.p99()),
                    pct(s, s.max()), statuses(s.statuses()), keptUp, ratio(s, row.floor()), kept.cpuPerOperation());
        }
        for (String note : notes) {
            out.println();
            out.println(note);
        }
    }
}
