package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Where Debian's modem-gateway software is installed ({@code gammu-smsd}; {@code kannel} and {@code kannel-extras}
 * for bearerbox, smsbox and the fake SMSC client), and what the suite does when it is missing: it fails, naming the
 * packages, unless it can install them itself (as root with apt-get, like {@code .ci/run}).
 * {@code -Dfetchsms.e2e.modems=skip} skips the two classes instead, for a machine where they cannot be installed.
 */
final class ModemSoftware {

    static final Path GAMMU_SMSD = Path.of("/usr/bin/gammu-smsd");
    static final Path BEARERBOX = Path.of("/usr/sbin/bearerbox");
    static final Path SMSBOX = Path.of("/usr/sbin/smsbox");
    static final Path FAKESMSC = Path.of("/usr/lib/kannel/test/fakesmsc");

    private ModemSoftware() {
    }

    private static final List<String> PACKAGES = List.of("gammu-smsd", "kannel", "kannel-extras");

    /**
     * Makes sure the binaries are there: when one is missing and this runs as root on a machine with apt-get (CI,
     * a Debian container), installs Debian's packages once, as {@code .ci/run} does; otherwise fails naming them.
     */
    static synchronized void require(String what, Path... binaries) {
        List<String> missing = DebianPackages.missing(List.of(binaries));
        if (missing.isEmpty()) {
            return;
        }
        if ("skip".equals(System.getProperty("fetchsms.e2e.modems"))) {
            Assumptions.abort(what + " needs " + String.join(", ", missing) + " (skipped: -Dfetchsms.e2e.modems=skip)");
        }
        missing = DebianPackages.install(what, PACKAGES, List.of(binaries));
        if (missing.isEmpty()) {
            return;
        }
        fail(what + " needs " + String.join(", ", missing) + ": install Debian's packages with `"
                + DebianPackages.command(PACKAGES) + "` (.ci/run does), or pass -Dfetchsms.e2e.modems=skip to skip"
                + " the modem-gateway tests");
    }

    /** Stops a process this suite started (SIGTERM, then SIGKILL after 5 s) and waits for it. */
    static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of a log, for a failure message. */
    static String tail(Path file, int lines) {
        String[] all = read(file).split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    /** Each UTF-16 code unit of {@code text} as four hex digits (a lone surrogate stays as it is). */
    static String utf16Hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (char unit : text.toCharArray()) {
            hex.append(String.format("%04X", (int) unit));
        }
        return hex.toString();
    }
}
