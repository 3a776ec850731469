package com.fetchsms.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * This machine (Linux {@code /proc}): cores, memory, CPU use during a scenario (the whole machine's and the
 * benchmark's own, since both share it with the stack), and the resident memory of the stack's processes, sampled every
 * second so the report can give each one's peak under load.
 */
final class Machine implements AutoCloseable {

    private final Map<String, Long> peakRss = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private final Selection selection;

    /**
     * Which processes are this stack's: JVMs started from this repository (its path on their command line; another
     * checkout's processes, or this one's test JVMs, are not), and among brokers only the one on the stack's port.
     */
    record Selection(String root, String kafkaPort) {
    }

    Machine(Selection selection) {
        this.selection = selection;
        sampler = new Thread(() -> {
            while (running) {
                for (var process : stackProcesses(selection).entrySet()) {
                    long rss = rssKb(process.getKey());
                    if (rss > 0) {
                        peakRss.merge(process.getValue().name(), rss, Math::max);
                    }
                }
                Load.sleep(java.time.Duration.ofSeconds(1));
            }
        }, "bench-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static String describe() {
        String model = "?";
        long memoryKb = 0;
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
            memoryKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        return String.format("%d cores (%s), %.1f GiB memory, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), model, memoryKb / 1024.0 / 1024.0,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** CPU counters now: the machine's busy and total jiffies, and this process's CPU nanoseconds. */
    /** The stack whose processes' CPU {@link Cpu#now()} also reads (none until the benchmark knows it). */
    private static volatile Selection measured;

    static void measure(Selection selection) {
        measured = selection;
    }

    record Cpu(long busy, long total, long ownNanos, long wallNanos, Map<String, Double> stack) {

        static Cpu now() {
            long busy = 0;
            long total = 0;
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 1; i < fields.length && i <= 8; i++) {
                    long v = Long.parseLong(fields[i]);
                    total += v;
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unknown
            }
            long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            Selection selection = measured;
            return new Cpu(busy, total, own, System.nanoTime(), selection == null ? Map.of() : cpuSeconds(selection));
        }

        /**
         * Share of the machine busy since {@code before}, the benchmark's own share of all cores, and the CPU seconds
         * the stack's busiest processes used meanwhile.
         */
        Use since(Cpu before) {
            long total = this.total - before.total;
            double machine = total <= 0 ? 0 : 100.0 * (busy - before.busy) / total;
            double own = 100.0 * (ownNanos - before.ownNanos)
                    / ((wallNanos - before.wallNanos) * (double) Runtime.getRuntime().availableProcessors());
            Map<String, Double> used = new TreeMap<>();
            stack.forEach((name, seconds) -> used.put(name, seconds - before.stack.getOrDefault(name, seconds)));
            double stackTotal = used.values().stream().mapToDouble(Double::doubleValue).sum();
            String busiest = used.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                    .map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
            return new Use(String.format("machine %.0f %% busy, benchmark client %.0f %%; stack %.1f CPU s%s", machine,
                    own, stackTotal, busiest.isEmpty() ? "" : " (" + busiest + ")"), stackTotal, -1);
        }
    }

    /**
     * CPU used during a scenario: the text, and the stack's CPU seconds spread over {@code operations} (-1: the
     * scenario's successful requests; 0: not per operation, e.g. a window shared by several results).
     */
    record Use(String text, double stackSeconds, long operations) {

        Use over(long operations) {
            return new Use(text, stackSeconds, operations);
        }
    }

    record StackProcess(String name, String jvmOptions) {
    }

    /** The local stack's JVMs by pid: services and gateway (quarkus-run.jar) and the Kafka broker. */
    static Map<Long, StackProcess> stackProcesses(Selection selection) {
        Map<Long, StackProcess> found = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                List<String> args;
                try {
                    args = List.of(new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8)
                            .split("\0"));
                } catch (IOException e) {
                    continue;
                }
                if (args.stream().noneMatch(arg -> arg.contains(selection.root()))) {
                    continue;
                }
                StackProcess process = classify(args, selection.kafkaPort());
                if (process != null) {
                    found.put(Long.parseLong(name), process);
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return found;
    }

    private static StackProcess classify(List<String> args, String kafkaPort) {
        if (args.isEmpty() || !args.get(0).endsWith("java")) {
            return null;
        }
        List<String> options = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-cp") || arg.equals("-classpath")) {
                i++;
            } else if (arg.equals("-jar") && i + 1 < args.size()) {
                String jar = args.get(i + 1);
                if (!jar.endsWith("quarkus-run.jar")) {
                    return null;
                }
                Path app = Path.of(jar).getParent().getParent().getParent();
                return new StackProcess(app.getFileName().toString(), String.join(" ", options));
            } else if (arg.equals("com.fetchsms.kafka.BrokerMain")) {
                boolean ours = i + 1 < args.size() && args.get(i + 1).equals(kafkaPort);
                return ours ? new StackProcess("kafka broker", String.join(" ", options)) : null;
            } else if (arg.equals("com.fetchsms.kafka.KafkaBroker")) {
                boolean ours = args.indexOf("--port") > 0 && args.indexOf("--port") + 1 < args.size()
                        && args.get(args.indexOf("--port") + 1).equals(kafkaPort);
                return ours ? new StackProcess("kafka launcher", String.join(" ", options)) : null;
            } else if (arg.startsWith("-X") || arg.startsWith("-D")) {
                options.add(arg);
            } else if (!arg.startsWith("-")) {
                return null;
            }
        }
        return null;
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** The name under which PostgreSQL's CPU is reported (the server and all its processes, every database). */
    static final String POSTGRESQL = "postgresql (all)";

    /**
     * CPU seconds (user + system) each stack process has used since it started, by name; and PostgreSQL's: every
     * server process's own, plus what its exited processes used (the postmaster's children's time), so connections
     * that came and went count too. PostgreSQL serves every database on this machine: keep the machine quiet.
     */
    static Map<String, Double> cpuSeconds(Selection selection) {
        Map<String, Double> used = new TreeMap<>();
        for (var process : stackProcesses(selection).entrySet()) {
            long[] times = times(process.getKey());
            if (times != null) {
                used.put(process.getValue().name(), (times[0] + times[1]) / TICKS);
            }
        }
        double postgres = 0;
        Map<Long, long[]> server = new TreeMap<>();
        for (Path entry : postgresProcesses()) {
            long[] times = times(entry.resolve("stat"));
            if (times != null) {
                server.put(Long.parseLong(entry.getFileName().toString()), times);
            }
        }
        for (long[] times : server.values()) {
            // the postmaster (whose parent is not a postgres process) also carries its exited children's time
            boolean postmaster = !server.containsKey(times[4]);
            postgres += (times[0] + times[1] + (postmaster ? times[2] + times[3] : 0)) / TICKS;
        }
        if (!server.isEmpty()) {
            used.put(POSTGRESQL, postgres);
        }
        return used;
    }

    private static final double TICKS = 100; // USER_HZ on Linux

    /**
     * Where the stack's CPU went, in finer parts than {@link #cpuSeconds}: each JVM's threads grouped by what they do
     * (event loops, JIT compiler, garbage collector, Kafka clients, …, by thread name), and PostgreSQL's server
     * processes by database (each connection's process names its database), its background processes (WAL writer,
     * checkpointer, …) as one part and the connections that ended meanwhile as another. CPU seconds since start.
     */
    static Map<String, Double> cpuDetail(Selection selection) {
        Map<String, Double> used = new TreeMap<>();
        for (var process : stackProcesses(selection).entrySet()) {
            Path tasks = Path.of("/proc", Long.toString(process.getKey()), "task");
            try (Stream<Path> threads = Files.list(tasks)) {
                for (Path thread : (Iterable<Path>) threads::iterator) {
                    long[] times = times(thread.resolve("stat"));
                    String comm;
                    try {
                        comm = Files.readString(thread.resolve("comm")).trim();
                    } catch (IOException e) {
                        continue;
                    }
                    if (times != null) {
                        used.merge(process.getValue().name() + " › " + threadGroup(comm),
                                (times[0] + times[1]) / TICKS, Double::sum);
                    }
                }
            } catch (IOException e) {
                // gone
            }
        }
        for (Path entry : postgresProcesses()) {
            String title;
            try {
                title = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ').trim();
            } catch (IOException e) {
                continue;
            }
            long[] times = times(entry.resolve("stat"));
            if (times == null) {
                continue;
            }
            // "postgres: 15/main: <user> <database> <client> <state>" for a connection; a background process
            // names its role instead; the postmaster's own command line is its program's path
            String[] words = title.split("\\s+");
            String part;
            double seconds = (times[0] + times[1]) / TICKS;
            if (!title.startsWith("postgres:")) {
                part = "connections that ended";
                seconds = (times[2] + times[3]) / TICKS;
                used.merge("postgresql › server (postmaster)", (times[0] + times[1]) / TICKS, Double::sum);
            } else if (words.length >= 5 && words[4].contains("(")) {
                part = words[3];
            } else {
                part = "background (WAL writer, checkpointer, …)";
            }
            used.merge("postgresql › " + part, seconds, Double::sum);
        }
        return used;
    }

    /** The {@code /proc/<pid>} of every PostgreSQL server process on this machine (none when not Linux). */
    private static List<Path> postgresProcesses() {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(entry.resolve("comm")).trim().equals("postgres")) {
                        found.add(entry);
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return found;
    }

    /** A JVM thread's group, from its name (Linux keeps the first 15 characters). */
    static String threadGroup(String comm) {
        if (comm.startsWith("vert.x-eventloo")) {
            return "event loops";
        }
        if (comm.startsWith("vert.x-worker") || comm.startsWith("executor-thread")) {
            return "worker threads";
        }
        if (comm.startsWith("C2 Compiler") || comm.startsWith("C1 Compiler")) {
            return "JIT compiler";
        }
        if (comm.startsWith("GC Thread") || comm.equals("VM Thread") || comm.startsWith("G1 ")) {
            return "GC and VM";
        }
        if (comm.startsWith("smallrye-kafka")) {
            return "Kafka consumers";
        }
        if (comm.startsWith("kafka-producer")) {
            return "Kafka producer";
        }
        if (comm.startsWith("data-plane-kafk")) {
            return "broker request handlers";
        }
        return comm.replaceAll("[-_ #]?\\d+$", "").replaceAll("\\d+", "N");
    }

    /**
     * The parts of {@link #cpuDetail} that used at least 0.05 ms per operation between two readings, the largest
     * first, one per line: {@code <process › part> <ms per operation>}.
     */
    static List<String> detailPerOperation(Map<String, Double> before, Map<String, Double> after, long operations) {
        Map<String, Double> used = new TreeMap<>();
        after.forEach((part, seconds) -> used.put(part, seconds - before.getOrDefault(part, 0.0)));
        double total = used.values().stream().mapToDouble(Double::doubleValue).sum();
        List<String> lines = new ArrayList<>();
        // the JIT's threads compile what a load runs for the first time (or differently: larger batches, fuller queues);
        // that CPU goes once the JVMs are warm, so the figure without it is the steady state's
        double jit = used.entrySet().stream().filter(e -> e.getKey().endsWith("› JIT compiler"))
                .mapToDouble(Map.Entry::getValue).sum();
        lines.add(String.format("where the stack's CPU went, per operation (%,d): %.2f ms in all, %.2f ms without the "
                + "JIT compiler threads", operations, total * 1000 / operations, (total - jit) * 1000 / operations));
        used.entrySet().stream().filter(e -> e.getValue() * 1000 / operations >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> lines
                        .add(String.format("  %-60s %6.2f ms", e.getKey(), e.getValue() * 1000 / operations)));
        return lines;
    }

    /** {utime, stime, cutime, cstime, parent pid} of a process in ticks, or null when it is gone. */
    private static long[] times(long pid) {
        return times(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** The same from a {@code stat} file (a process's or a thread's). */
    private static long[] times(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14]), Long.parseLong(fields[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Peak resident memory of each stack process seen during the run, in MB. */
    Map<String, Long> peakRssMb() {
        Map<String, Long> mb = new LinkedHashMap<>();
        new TreeMap<>(peakRss).forEach((name, kb) -> mb.put(name, kb / 1024));
        return mb;
    }

    @Override
    public void close() {
        running = false;
    }
}
