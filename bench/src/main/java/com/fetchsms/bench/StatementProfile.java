package com.fetchsms.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A statement-level profile of the stack's PostgreSQL without {@code pg_stat_statements}: logs every statement of the
 * server ({@code ALTER SYSTEM SET log_min_duration_statement = 0}, reloaded; the setting found before is put back
 * afterwards, also when the command fails or the profiler is interrupted) while a command runs, then reads what the log gained and prints, per database and per statement, how many ran and
 * how long they took, divided by the number of operations the command made ({@code bench/statements};
 * {@code docs/performance.md}, "Ninth run").
 *
 * <p>
 * Times are the server's own {@code duration} (a commit's includes its wait for the disk); the counts include whatever
 * else ran on the server meanwhile (the stack's relay polls, watermarks and metrics), so profile a quiet stack.
 */
final class StatementProfile {

    /** A log entry starts with its timestamp; the lines after it that do not are its continuation. */
    private static final Pattern ENTRY_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final Pattern DURATION = Pattern.compile(
            "@(\\S*) LOG:\\s+duration: ([0-9.]+) ms\\s+(statement|execute [^:]*|bind [^:]*|parse [^:]*): (.*)",
            Pattern.DOTALL);
    private static final int SHOWN_TEXT = 110;

    /** How often one statement ran in one phase ({@code exec}, {@code bind}, {@code parse}) and for how long. */
    record Line(String database, String phase, String text, long count, double millis) {
    }

    /** Totals per database and the statements, dearest first. */
    record Profile(Map<String, double[]> databases, List<Line> statements) {
    }

    private StatementProfile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench/statements <command> [args…]   (BENCH_PROFILE_OPS=<operations it makes>)");
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        long operations = Long.parseLong(env.getOrDefault("BENCH_PROFILE_OPS", "1"));
        int shown = Integer.parseInt(env.getOrDefault("BENCH_PROFILE_TOP", "40"));
        String url = "jdbc:postgresql://" + env.getOrDefault("PGHOST", "127.0.0.1") + ":"
                + env.getOrDefault("PGPORT", "5432") + "/postgres";
        Properties credentials = new Properties();
        credentials.setProperty("user", env.getOrDefault("PGUSER", "postgres"));
        if (!env.getOrDefault("PGPASSWORD", "").isEmpty()) {
            credentials.setProperty("password", env.get("PGPASSWORD"));
        }
        Path log;
        long from;
        String before;
        try (Connection db = DriverManager.getConnection(url, credentials); Statement sql = db.createStatement()) {
            if (!single(sql, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").equals("t")) {
                throw new IllegalStateException("the statement log needs a superuser role (PGUSER)");
            }
            log = logFile(sql, env.get("BENCH_PG_LOG"));
            from = Files.size(log);
            // what ALTER SYSTEM had set before (null: nothing), to be put back afterwards
            before = optional(sql, """
                    SELECT setting FROM pg_file_settings
                    WHERE name = 'log_min_duration_statement' AND sourcefile LIKE '%postgresql.auto.conf'
                    ORDER BY seqno DESC LIMIT 1""");
            sql.execute("ALTER SYSTEM SET log_min_duration_statement = 0");
            sql.execute("SELECT pg_reload_conf()");
        }
        // put the setting back however this ends: normally, by an exception, or interrupted (Ctrl-C, a TERM signal)
        Runnable restore = () -> restore(url, credentials, before);
        Thread hook = new Thread(restore, "statement-profile-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        int status;
        try {
            status = new ProcessBuilder(args).inheritIO().start().waitFor();
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            restore.run();
        }
        String logged;
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            logged = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        print(profile(logged), operations, shown, System.out);
        System.exit(status);
    }

    /** The server's current log file: the collector's, else {@code BENCH_PG_LOG}, else Debian's newest. */
    private static Path logFile(Statement sql, String configured) throws SQLException, IOException {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (single(sql, "SHOW logging_collector").equals("on")) {
            Path file = Path.of(single(sql, "SELECT pg_current_logfile()"));
            return file.isAbsolute() ? file : Path.of(single(sql, "SHOW data_directory")).resolve(file);
        }
        try (Stream<Path> files = Files.list(Path.of("/var/log/postgresql"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(f -> f.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no server log found: set BENCH_PG_LOG"));
        }
    }

    /** Puts back the log setting found before, on a connection of its own (the first may be long gone). */
    private static void restore(String url, Properties credentials, String before) {
        try (Connection db = DriverManager.getConnection(url, credentials); Statement sql = db.createStatement()) {
            sql.execute(before == null
                    ? "ALTER SYSTEM RESET log_min_duration_statement"
                    : "ALTER SYSTEM SET log_min_duration_statement = '" + before.replace("'", "''") + "'");
            sql.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            System.err.println("bench/statements: could not put back log_min_duration_statement"
                    + (before == null ? " (reset it)" : " (it was " + before + ")") + ": " + e.getMessage());
        }
    }

    private static String optional(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Counts the statements of a stretch of the server's log (Debian's {@code %m [%p] %q%u@%d} prefix). */
    static Profile profile(String logged) {
        Map<List<String>, double[]> byStatement = new LinkedHashMap<>();
        Map<String, double[]> byDatabase = new TreeMap<>();
        StringBuilder entry = new StringBuilder();
        for (String line : (logged + "\n9999-00-00 00:00:00 end").split("\n")) {
            if (ENTRY_START.matcher(line).find()) {
                Matcher m = DURATION.matcher(entry);
                if (m.find()) {
                    String database = m.group(1).isEmpty() ? "?" : m.group(1);
                    double millis = Double.parseDouble(m.group(2));
                    String phase = m.group(3).startsWith("bind")
                            ? "bind"
                            : m.group(3).startsWith("parse") ? "parse" : "exec";
                    String text = m.group(4).replaceAll("\\s+", " ").trim();
                    text = text.length() > SHOWN_TEXT ? text.substring(0, SHOWN_TEXT) : text;
                    add(byStatement.computeIfAbsent(List.of(database, phase, text), k -> new double[2]), millis);
                    add(byDatabase.computeIfAbsent(database, k -> new double[3]), millis);
                    if (phase.equals("exec") && text.equalsIgnoreCase("BEGIN")) {
                        byDatabase.get(database)[2]++;
                    }
                }
                entry.setLength(0);
            }
            // an entry's own lines (a multi-line statement continues on tab-indented lines); its parameters come as
            // a DETAIL entry of their own, which matches no duration
            entry.append(entry.length() > 0 ? " " : "").append(line);
        }
        List<Line> lines = new ArrayList<>();
        byStatement.forEach((key, v) -> lines.add(new Line(key.get(0), key.get(1), key.get(2), (long) v[0], v[1])));
        lines.sort(Comparator.comparingDouble(Line::millis).reversed());
        return new Profile(byDatabase, lines);
    }

    private static void add(double[] totals, double millis) {
        totals[0]++;
        totals[1] += millis;
    }

    static void print(Profile profile, long operations, int shown, PrintStream out) {
        double n = Math.max(1, operations);
        out.printf("%nStatements per operation (%,d operations): database, statements, transactions, ms%n",
                operations);
        profile.databases().entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[1]).reversed())
                .forEach(e -> out.printf("  %-26s %8.2f %6.2f %9.3f ms%n", e.getKey(), e.getValue()[0] / n,
                        e.getValue()[2] / n, e.getValue()[1] / n));
        out.printf("%nThe %d dearest statements per operation: count, ms, database, phase, statement%n", shown);
        profile.statements().stream().limit(shown).forEach(line -> out.printf("  %7.2f %8.3f  %-24s %-5s %s%n",
                line.count() / n, line.millis() / n, line.database(), line.phase(), line.text()));
    }
}
