package com.fetchsms.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

import io.vertx.core.net.SocketAddress;

/**
 * Where one service runs, parsed from its configured base URL ({@code http(s)://host:port}, no path), and how long it
 * may take to answer.
 */
public record Upstream(String name, String host, int port, boolean ssl, Duration requestTimeout) {

    public static Upstream parse(String name, String url, Duration requestTimeout) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid URL for service " + name + ": " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The URL of service " + name + " must be http:// or https://: " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("The URL of service " + name + " has no host: " + url);
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "The URL of service " + name + " must be scheme://host:port only (no path, query or user): " + url);
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Upstream(name, host, port, ssl, requestTimeout);
    }

    public SocketAddress address() {
        return SocketAddress.inetSocketAddress(port, host);
    }

    @Override
    public String toString() {
        return (ssl ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
