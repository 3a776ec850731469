package com.fetchsms.webhook.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.webhook.config.WebhookConfig;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The server-side request forgery guard. A URL must be absolute {@code https} ({@code http} only when
 * {@code allow-http}), without credentials. Its host is resolved and every address must be public: loopback,
 * private, carrier-grade NAT, link-local (169.254.169.254, the cloud metadata address), unique-local (fc00::/7, so
 * fd00::/8), site-local, multicast, unspecified and reserved addresses are refused, unless the host is literally
 * in {@code allowed-hosts}. Deliveries connect to the checked address itself (decision 0012), so a name that
 * re-resolves to a private address between the check and the connection (DNS rebinding) reaches nothing.
 */
@ApplicationScoped
public class UrlGuard {

    /** A checked URL: connect to {@code address}, send {@code host} as Host (and for TLS). */
    public record Target(URI uri, boolean ssl, String host, int port, String requestUri, InetAddress address) {
    }

    /** A URL or address the guard refuses; at creation a 422, at delivery a failed attempt. */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowHttp;
    private final Set<String> allowedHosts;

    public UrlGuard(WebhookConfig config) {
        this.allowHttp = config.allowHttp();
        this.allowedHosts = config.allowedHosts().orElse(List.of()).stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Validates and resolves {@code url} off the event loop; fails with {@link RefusedException}. */
    public Uni<Target> check(String url) {
        URI uri;
        try {
            uri = parse(url);
        } catch (RefusedException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(() -> resolve(uri)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** {@link #check} for the API: a refusal is a 422 with its reason. */
    public Uni<Target> checkForApi(String url) {
        return check(url).onFailure(RefusedException.class)
                .transform(e -> ApiException.unprocessable("Field 'url' is not allowed: " + e.getMessage()));
    }

    URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedException("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isBlank()) {
            throw new RefusedException("an absolute https URL with a host is required");
        }
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new RefusedException("https is required");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedException("credentials in the URL are not accepted");
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedException("a fragment is not accepted");
        }
        return uri;
    }

    Target resolve(URI uri) {
        boolean ssl = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new RefusedException("the host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new RefusedException("the host " + host + " does not resolve");
        }
        boolean allowlisted = allowedHosts.contains(bare.toLowerCase(Locale.ROOT));
        if (!allowlisted) {
            for (InetAddress address : addresses) {
                if (isForbidden(address)) {
                    throw new RefusedException("the host " + host + " resolves to a private or reserved address");
                }
            }
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Target(uri, ssl, bare, port, requestUri, addresses[0]);
    }

    /** Addresses a webhook may never reach. */
    public static boolean isForbidden(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // this network
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local (fd00::/8 included)
                return true;
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return true; // 2001:db8::/32 documentation
            }
            boolean nat64 = first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            boolean compatible = true;
            for (int i = 0; i < 12; i++) {
                compatible &= b[i] == 0;
            }
            if (nat64 || compatible) { // an embedded IPv4 address: judge that one
                try {
                    return isForbidden(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
