package com.fetchsms.dashboard.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.quarkus.qute.TemplateExtension;

/** Text in templates: {@code {email.urlEncode}} for a query parameter of a link. */
public final class Texts {

    private Texts() {
    }

    @TemplateExtension
    public static String urlEncode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
