package com.fetchsms.dashboard.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** Instants in templates: {@code {v.createdAt.shown}} → {@code 2026-12-07 14:05:09 UTC}; nothing for {@code null}. */
public final class Instants {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Instants() {
    }

    @TemplateExtension
    public static String shown(Instant instant) {
        return instant == null ? "" : SHOWN.format(instant);
    }

    /** The machine-readable form ({@code <time datetime>}, the countdown's end). */
    @TemplateExtension
    public static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
