package com.fetchsms.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The third-party software the suite drives for real comes from Debian's packages (Chromium and its WebDriver, Gammu
 * SMSD, Kannel). When a binary is missing and the suite runs as root on a machine with apt-get (CI, a Debian
 * container), it installs the packages itself, once per set, as {@code .ci/run} does; the caller fails (or skips, when
 * told to) naming what is still missing.
 */
final class DebianPackages {

    private static final Path APT_GET = Path.of("/usr/bin/apt-get");
    private static final Set<List<String>> tried = new HashSet<>();

    private DebianPackages() {
    }

    /** The binaries of {@code binaries} that are not there (as paths). */
    static List<String> missing(List<Path> binaries) {
        return binaries.stream().filter(p -> !Files.isExecutable(p)).map(Path::toString).toList();
    }

    /**
     * Installs {@code packages} with apt-get when some of {@code binaries} are missing and this may (root, apt-get,
     * not tried before for this set); answers the binaries still missing afterwards.
     */
    static synchronized List<String> install(String what, List<String> packages, List<Path> binaries) {
        List<String> missing = missing(binaries);
        if (missing.isEmpty() || !"root".equals(System.getProperty("user.name")) || !Files.isExecutable(APT_GET)
                || !tried.add(packages)) {
            return missing;
        }
        System.out.println("[e2e] " + what + " needs " + missing + ": installing " + packages + " with apt-get");
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(packages);
        if (run(List.of("apt-get", "update")) == 0) {
            run(install);
        }
        return missing(binaries);
    }

    /** The command that installs {@code packages}, for a failure's message. */
    static String command(List<String> packages) {
        return "apt-get install -y --no-install-recommends " + String.join(" ", packages);
    }

    private static int run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
