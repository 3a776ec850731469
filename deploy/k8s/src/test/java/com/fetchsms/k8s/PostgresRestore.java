package com.fetchsms.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The restore overlay (overlays/prod-restore) rendered with a recovery.env written into the render copy, as the
 * operator writes it at restore time (docs/operations.md, "Restoring the database to a point in time").
 */
final class PostgresRestore {

    static final String OVERLAY = "prod-restore";
    static final String TARGET_TIME = "2026-12-07T09:30:00Z";
    static final String ARCHIVE_SERVER_NAME = "fetchsms-db-r1";

    private PostgresRestore() {
    }

    static synchronized Rendered render() {
        // Makes the copy of deploy/k8s under target/ (and skips the test when no Kustomize is installed).
        Manifests.render(Manifests.PROD);
        Path env = Manifests.k8sDir().resolve("target").resolve("k8s-render").resolve("overlays").resolve(OVERLAY)
                .resolve("recovery.env");
        try {
            Files.writeString(env,
                    "TARGET_TIME=" + TARGET_TIME + "\nARCHIVE_SERVER_NAME=" + ARCHIVE_SERVER_NAME + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Manifests.render(OVERLAY);
    }
}
