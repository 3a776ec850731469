package com.fetchsms.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One USB modem as an operator runs it: Debian's real {@code gammu-smsd} with Gammu's dummy phone driver (a directory
 * stands for the phone: an SMS "arrives" when a file appears in its inbox folder {@code sms/1/}), the files service
 * with {@code InboxFormat = detail}, and the project's {@code deploy/gammu/fetchsms-gammu-receive} as
 * {@code RunOnReceive}, configured exactly as the script's header documents. gammu-smsd runs with a bare environment
 * (no {@code LANG}: the C locale of a Debian service), so nothing may depend on a UTF-8 locale.
 */
final class GammuModem implements AutoCloseable {

    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** One physical SMS as the network delivers it: sender, SMSC time stamp, optional concatenation header, text. */
    record Sms(String from, Instant sent, String udh, String text) {

        static Sms single(String from, Instant sent, String text) {
            return new Sms(from, sent, "", text);
        }

        /** Part {@code part} of {@code total} of the concatenated message with 8-bit reference {@code reference}. */
        static Sms part(String from, Instant sent, int reference, int total, int part, String text) {
            return new Sms(from, sent, String.format("050003%02X%02X%02X", reference, total, part), text);
        }

        /** The file Gammu's dummy driver reads: a Gammu SMS backup with the text as UTF-16BE hex. */
        String backupFile() {
            String hex = ModemSoftware.utf16Hex(text);
            StringBuilder file = new StringBuilder("[SMSBackup000]\n")
                    .append("SMSC = \"+10000000000\"\n")
                    .append("PDU = Deliver\n")
                    .append("DateTime = ").append(BACKUP_TIME.format(sent)).append('\n')
                    .append("State = UnRead\n")
                    .append("Number = \"").append(from).append("\"\n")
                    .append("NumberUnicode = ").append(ModemSoftware.utf16Hex(from)).append('\n')
                    .append("UDH = ").append(udh).append('\n');
            for (int line = 0; line * 200 < hex.length() || line == 0; line++) {
                file.append(String.format("Text%02d = ", line))
                        .append(hex, line * 200, Math.min(hex.length(), line * 200 + 200)).append('\n');
            }
            return file.append("Coding = Unicode_No_Compression\n")
                    .append("Folder = 1\n")
                    .append("Class = -1\n").toString();
        }
    }

    final String phoneId;
    final Path dir;
    final Path inbox;
    final Path spool;
    final Path log;
    private final Path phoneInbox;
    private final Process process;
    private final AtomicInteger location = new AtomicInteger();

    private final Path script;
    private final Map<String, String> scriptEnv;

    private GammuModem(String phoneId, Path dir, Process process, Path script, Map<String, String> scriptEnv) {
        this.phoneId = phoneId;
        this.dir = dir;
        this.inbox = dir.resolve("inbox");
        this.spool = dir.resolve("spool");
        this.log = dir.resolve("fetchsms-gammu-receive.log");
        this.phoneInbox = dir.resolve("phone/sms/1");
        this.process = process;
        this.script = script;
        this.scriptEnv = Map.copyOf(scriptEnv);
    }

    /**
     * Starts gammu-smsd for a modem whose SIM is {@code number}, reporting with {@code gatewayToken} to
     * {@code ingestUrl}.
     */
    static GammuModem start(Path repoRoot, Path dir, String phoneId, String number, String ingestUrl,
            String gatewayToken) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            for (String sub : List.of("phone/sms/1", "phone/sms/2", "phone/sms/3", "phone/sms/4", "phone/sms/5",
                    "inbox", "outbox", "sent", "error", "spool", "staging")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Path config = dir.resolve("gammu-smsdrc");
            Files.writeString(config, String.join("\n",
                    "[gammu]",
                    "Device = " + dir.resolve("phone"),
                    "Connection = none",
                    "Model = dummy",
                    "",
                    "[smsd]",
                    "Service = files",
                    "InboxPath = " + dir.resolve("inbox") + "/",
                    "OutboxPath = " + dir.resolve("outbox") + "/",
                    "SentSMSPath = " + dir.resolve("sent") + "/",
                    "ErrorSMSPath = " + dir.resolve("error") + "/",
                    "InboxFormat = detail",
                    "RunOnReceive = " + repoRoot.resolve("deploy/gammu/fetchsms-gammu-receive"),
                    "PhoneID = " + phoneId,
                    "MultipartTimeout = 2",
                    "ReceiveFrequency = 1",
                    "StatusFrequency = 0",
                    "CheckSecurity = 0",
                    "CheckBattery = 0",
                    "CheckSignal = 0",
                    "LogFile = " + dir.resolve("gammu-smsd.log"),
                    ""));
            ProcessBuilder builder = new ProcessBuilder(ModemSoftware.GAMMU_SMSD.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("gammu-smsd.out").toFile());
            Map<String, String> env = builder.environment();
            env.clear(); // a service's environment: no LANG, the C locale
            env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            env.put("FETCHSMS_INGEST_URL", ingestUrl);
            env.put("FETCHSMS_GATEWAY_TOKEN", gatewayToken);
            env.put("FETCHSMS_RECEIVING_NUMBER", number);
            env.put("FETCHSMS_GAMMU_INBOX", dir.resolve("inbox").toString());
            env.put("FETCHSMS_SPOOL", dir.resolve("spool").toString());
            env.put("FETCHSMS_RETRY_INTERVAL", "1");
            env.put("FETCHSMS_LOG_FILE", dir.resolve("fetchsms-gammu-receive.log").toString());
            return new GammuModem(phoneId, dir, builder.start(),
                    repoRoot.resolve("deploy/gammu/fetchsms-gammu-receive"), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network delivers these SMS to the modem (each becomes a message on the phone, read by gammu-smsd). */
    void receive(Sms... messages) {
        try {
            for (Sms sms : messages) {
                int at = location.incrementAndGet();
                Path staged = dir.resolve("staging").resolve(String.valueOf(at));
                Files.writeString(staged, sms.backupFile(), StandardCharsets.US_ASCII);
                Files.move(staged, phoneInbox.resolve(String.valueOf(at)), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many spooled parts FetchSMS has acknowledged with 2xx (the script's log). */
    long acknowledged() {
        return ModemSoftware.read(log).lines().filter(l -> l.contains(": acknowledged by FetchSMS (2")).count();
    }

    /** Waits until FetchSMS has acknowledged {@code parts} parts in all and nothing waits in the spool. */
    void awaitAcknowledged(long parts) {
        try {
            Poll.until(phoneId + " to have " + parts + " parts acknowledged", Duration.ofSeconds(45),
                    () -> acknowledged() >= parts && spooled().isEmpty(), done -> done);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe script's log:\n" + ModemSoftware.tail(log, 20)
                    + "\ngammu-smsd's log:\n" + ModemSoftware.tail(dir.resolve("gammu-smsd.log"), 20), e);
        }
    }

    /** Parts waiting in the spool for FetchSMS. */
    List<Path> spooled() {
        try (Stream<Path> files = Files.list(spool.resolve("new"))) {
            return files.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The names of Gammu's inbox files. */
    List<String> inboxFiles() {
        try (Stream<Path> files = Files.list(inbox)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code fetchsms-gammu-receive --flush} as the documented cron job does; returns its exit status. */
    int cronFlush() {
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "--flush").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(scriptEnv);
        try {
            Process flush = builder.start();
            if (!flush.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                flush.destroyForcibly();
                return -1;
            }
            return flush.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String scriptLog() {
        return ModemSoftware.read(log);
    }

    /**
     * Stops gammu-smsd and the script's background retrier, as a reboot of the modem's host would; what is in the
     * spool stays.
     */
    @Override
    public void close() {
        ModemSoftware.stop(process);
        // the script's background retrier, if one still runs (it ends by itself when the spool is empty)
        String pid = ModemSoftware.read(spool.resolve(".retrier/pid")).strip();
        if (pid.matches("\\d+")) {
            ProcessHandle.of(Long.parseLong(pid))
                    .filter(p -> p.info().commandLine().orElse("").contains("fetchsms-gammu-receive"))
                    .ifPresent(ProcessHandle::destroy);
        }
    }
}
