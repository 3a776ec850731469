package com.fetchsms.dashboard.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** What the web tests do as a browser would: full /app addresses, no redirects followed, cookies sent by hand. */
final class Browser {

    static final String CSRF_COOKIE = "fs_csrf";
    static final String SESSION_COOKIE = "fs_session";

    private Browser() {
    }

    /** A request to a full address ({@code /app/…}), redirects not followed. */
    static RequestSpecification browser() {
        return given().basePath("").redirects().follow(false);
    }

    /** A browser's CSRF cookie value and the token its forms carry, as a first visit to the sign-in page gives them. */
    record Csrf(String cookie, String token) {
    }

    static Csrf visit() {
        Response signin = browser().get("/app/signin");
        assertEquals(200, signin.statusCode());
        String cookie = signin.getCookie(CSRF_COOKIE);
        assertNotNull(cookie, "the first visit gives the browser its CSRF cookie");
        return new Csrf(cookie, hiddenInput(signin.asString(), "_csrf"));
    }

    /** The value of the hidden input {@code name} of a page. */
    static String hiddenInput(String html, String name) {
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"")
                .matcher(html);
        if (!m.find()) {
            throw new AssertionError("no hidden input " + name + " in\n" + html);
        }
        return m.group(1);
    }

    /** The {@code Set-Cookie} header that sets {@code name}, or {@code null}. */
    static String setCookie(Response response, String name) {
        List<String> headers = response.headers().getValues("Set-Cookie");
        String found = null;
        for (String header : headers) {
            if (header.startsWith(name + "=")) {
                if (found != null) {
                    throw new AssertionError("two Set-Cookie headers for " + name + ": " + headers);
                }
                found = header;
            }
        }
        return found;
    }

    /** The attributes of a {@code Set-Cookie} header after its value, lower-cased ({@code path=/app}, {@code httponly}). */
    static List<String> attributes(String setCookie) {
        String[] parts = setCookie.split(";");
        return java.util.Arrays.stream(parts).skip(1).map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
