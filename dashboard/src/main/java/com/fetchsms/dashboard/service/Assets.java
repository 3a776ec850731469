package com.fetchsms.dashboard.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.quarkus.qute.TemplateGlobal;

/**
 * The addresses of the scripts and styles the pages load: the web jars' from their versions in {@code pom.xml}
 * (written into {@code fetchsms-dashboard-assets.properties} by the build), so that upgrading htmx is one line of the
 * POM; the dashboard's own with a hash of their content, so that a browser never keeps a stale copy after a deploy.
 */
@TemplateGlobal
public final class Assets {

    private static final Properties VERSIONS = load();

    /** {@code /app/webjars/htmx.org/<version>/dist/htmx.min.js} */
    static String htmxScript = "/app/webjars/htmx.org/" + VERSIONS.getProperty("htmx") + "/dist/htmx.min.js";

    /** {@code /app/webjars/htmx-ext-sse/<version>/sse.js} */
    static String sseScript = "/app/webjars/htmx-ext-sse/" + VERSIONS.getProperty("htmx-ext-sse") + "/sse.js";

    /** {@code /app/assets/dashboard.css?v=<content hash>}: a new address whenever the file changes. */
    static String dashboardCss = "/app/assets/dashboard.css?v=" + contentHash("dashboard.css");

    /** {@code /app/assets/dashboard.js?v=<content hash>} */
    static String dashboardJs = "/app/assets/dashboard.js?v=" + contentHash("dashboard.js");

    private Assets() {
    }

    /** The first 10 hex digits of the SHA-256 of one of the dashboard's own assets. */
    private static String contentHash(String asset) {
        try (InputStream in = Assets.class.getResourceAsStream("/META-INF/resources/assets/" + asset)) {
            if (in == null) {
                throw new IllegalStateException(asset + " is missing from the build");
            }
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return java.util.HexFormat.of().formatHex(digest, 0, 5);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties load() {
        Properties versions = new Properties();
        try (InputStream in = Assets.class.getResourceAsStream("/fetchsms-dashboard-assets.properties")) {
            if (in == null) {
                throw new IllegalStateException("fetchsms-dashboard-assets.properties is missing from the build");
            }
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }
}
