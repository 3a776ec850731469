package com.fetchsms.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Kannel from Debian's packages: bearerbox with one fake SMSC per modem (Kannel's test SMSC, which takes
 * messages from the {@code fakesmsc} client of {@code kannel-extras}) and smsbox, configured with
 * {@code deploy/kannel/kannel.conf.example} as it is, except for local ports and log files, a plain-http
 * {@code post-url} to the test's relay, and {@code http-queue-delay = 1}.
 */
final class KannelBoxes implements AutoCloseable {

    private static final Pattern RECEIVED = Pattern.compile("rcvd: sms (\\d+)");

    final Path dir;
    final Path bearerboxLog;
    final Path smsboxLog;
    final List<Integer> smscPorts = new ArrayList<>();
    private final int adminPort;
    private final String adminPassword = "e2e-" + E2eTest.code(9);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    /** Starts bearerbox with {@code modems} fake SMSCs and smsbox posting to {@code postUrl}. */
    KannelBoxes(Path repoRoot, Path dir, int modems, String postUrl) {
        this.dir = dir;
        this.bearerboxLog = dir.resolve("bearerbox.log");
        this.smsboxLog = dir.resolve("smsbox.log");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(bearerboxLog);
            Files.deleteIfExists(smsboxLog);
            adminPort = freePort();
            int boxPort = freePort();
            String config = Files.readString(repoRoot.resolve("deploy/kannel/kannel.conf.example"))
                    .replace("admin-port = 13000", "admin-port = " + adminPort)
                    .replace("<admin password>", adminPassword)
                    .replace("smsbox-port = 13001", "smsbox-port = " + boxPort)
                    .replace("bearerbox-port = 13001", "bearerbox-port = " + boxPort)
                    .replace("/var/log/kannel/bearerbox.log", bearerboxLog.toString())
                    .replace("/var/log/kannel/smsbox.log", smsboxLog.toString())
                    .replace("http-queue-delay = 15", "http-queue-delay = 1");
            String documentedUrl = "\"https://gw:<gateway token>@<FetchSMS host>/v1/ingest/kannel\"";
            if (!config.contains(documentedUrl) || !config.contains("admin-port = " + adminPort)) {
                throw new IllegalStateException("deploy/kannel/kannel.conf.example changed: update KannelBoxes");
            }
            config = config.replace(documentedUrl, "\"" + postUrl + "\"");
            StringBuilder smscs = new StringBuilder(config);
            for (int modem = 1; modem <= modems; modem++) {
                int port = freePort();
                smscPorts.add(port);
                smscs.append("\ngroup = smsc\nsmsc = fake\nsmsc-id = modem").append(modem).append("\nport = ")
                        .append(port).append("\nconnect-allow-ip = 127.0.0.1\n");
            }
            Path conf = dir.resolve("kannel.conf");
            Files.writeString(conf, smscs.toString());
            processes.add(start("bearerbox", ModemSoftware.BEARERBOX, conf));
            Poll.until("bearerbox to answer on its admin port (its log:\n" + ModemSoftware.tail(bearerboxLog, 10)
                    + ")", Duration.ofSeconds(20), this::status, s -> s.contains("Status: running"));
            processes.add(start("smsbox", ModemSoftware.SMSBOX, conf));
            Poll.until("smsbox to connect to bearerbox (its log:\n" + ModemSoftware.tail(smsboxLog, 10) + ")",
                    Duration.ofSeconds(20), this::status, s -> s.contains("smsbox:(none), IP 127.0.0.1"));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    private Process start(String name, Path binary, Path conf) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        builder.environment().put("TZ", "UTC"); // X-Kannel-Time is the box's local time; FetchSMS reads it as UTC
        return builder.start();
    }

    /** bearerbox's status page, or "" while it does not answer. */
    String status() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/status.txt?password=" + adminPassword)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** How many SMS the fake SMSC of modem {@code modem} (1-based) has handed to bearerbox. */
    int received(int modem) {
        String status = status();
        int at = status.indexOf("FAKE:" + smscPorts.get(modem - 1) + " ");
        if (at < 0) {
            return 0;
        }
        int end = status.indexOf('\n', at);
        Matcher count = RECEIVED.matcher(status.substring(at, end < 0 ? status.length() : end));
        return count.find() ? Integer.parseInt(count.group(1)) : 0;
    }

    /**
     * The carrier delivers SMS to modems at once: one {@code fakesmsc} client per SMS, connected to its modem's fake
     * SMSC ({@code deliveries[i]} = {modem, "from to type … text"} in fakesmsc's message format); returns when
     * bearerbox has received every one. A fake SMSC serves one client at a time, so one modem's SMS go one after
     * the other.
     */
    void deliver(Object[]... deliveries) {
        List<Object[]> pending = new ArrayList<>(List.of(deliveries));
        while (!pending.isEmpty()) {
            List<Object[]> round = new ArrayList<>();
            List<Integer> modems = new ArrayList<>();
            for (Object[] d : List.copyOf(pending)) {
                if (!modems.contains((Integer) d[0])) {
                    modems.add((Integer) d[0]);
                    round.add(d);
                    pending.remove(d);
                }
            }
            List<Process> clients = new ArrayList<>();
            List<Integer> before = new ArrayList<>();
            try {
                for (Object[] d : round) {
                    int modem = (Integer) d[0];
                    before.add(received(modem));
                    clients.add(new ProcessBuilder(ModemSoftware.FAKESMSC.toString(), "-H", "127.0.0.1", "-r",
                            String.valueOf(smscPorts.get(modem - 1)), "-m", "1", (String) d[1])
                            .redirectErrorStream(true).redirectOutput(dir.resolve("fakesmsc.out").toFile()).start());
                }
                for (int i = 0; i < round.size(); i++) {
                    int modem = (Integer) round.get(i)[0];
                    int expected = before.get(i) + 1;
                    Poll.until("bearerbox to receive the SMS from modem " + modem + "'s fake SMSC",
                            Duration.ofSeconds(30), () -> received(modem), n -> n >= expected);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                clients.forEach(ModemSoftware::stop);
            }
        }
    }

    /** fakesmsc's url-encoding of UCS-2 (UTF-16BE) octets. */
    static String ucs2(String text) {
        StringBuilder out = new StringBuilder();
        for (char unit : text.toCharArray()) {
            out.append(String.format("%%%02X%%%02X", unit >> 8, unit & 0xFF));
        }
        return out.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) { // smsbox first, then bearerbox
            ModemSoftware.stop(processes.get(i));
        }
    }
}
