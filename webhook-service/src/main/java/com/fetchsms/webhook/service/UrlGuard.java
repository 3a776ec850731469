package com.fetchsms.webhook.service;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
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
 * {@code allow-http}), without credentials or fragment, with a port from 1 to 65535 (default 443/80).
 *
 * <p>
 * The host is canonicalised before anything is decided: names are compared case-insensitively and without a trailing
 * dot; a host whose last label is a number is an IPv4 address in any of the spellings that resolvers accept (octal
 * {@code 0177.0.0.1}, hex {@code 0x7f.0.0.1}, one integer {@code 2130706433}, short forms {@code 127.1}); IPv6
 * literals are parsed, and the IPv4 address embedded in IPv4-mapped/-compatible, NAT64 ({@code 64:ff9b::/96}), 6to4
 * ({@code 2002::/16}) and Teredo ({@code 2001::/32}, obfuscated) addresses is judged too. A name is resolved, and every
 * address must be public: loopback, private, carrier-grade NAT, link-local (169.254.169.254, the cloud metadata
 * address), unique-local (fc00::/7), site-local, multicast, unspecified, documentation and reserved addresses are
 * refused, as is any IPv6 address outside global unicast {@code 2000::/3}. An IPv4 address that is public but not
 * written as four decimal numbers is refused as ambiguous (resolvers disagree on what {@code 010.0.0.1} means).
 *
 * <p>
 * Only a host literally in {@code allowed-hosts} (after the same canonicalisation: {@code LOCALHOST.} is
 * {@code localhost}, but {@code 0177.0.0.1} is not {@code 127.0.0.1}) skips the address check, for local development.
 * Such a host is still never reached on one of the platform's own ports ({@code platform-ports}: the gateway, the
 * services, Kafka) nor on a path that normalises into {@code /internal} or {@code /q/}: a customer's webhook never
 * calls the platform itself. Deliveries connect to the checked address itself (decision 0012), so a name that
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

    /**
     * A URL that passed the syntax rules: {@code host} canonical (lower case, no trailing dot, no brackets),
     * {@code literal} the address when the host is an IP literal, {@code canonicalSpelling} false for an IPv4 address
     * not written as four decimal numbers.
     */
    record Parsed(URI uri, boolean ssl, String host, InetAddress literal, boolean canonicalSpelling, int port,
            String requestUri) {
    }

    private final boolean allowHttp;
    private final Set<String> allowedHosts;
    private final Set<Integer> platformPorts;

    public UrlGuard(WebhookConfig config) {
        this.allowHttp = config.allowHttp();
        this.allowedHosts = config.allowedHosts().orElse(List.of()).stream().map(UrlGuard::canonicalAllowedHost)
                .filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.platformPorts = Set.copyOf(config.platformPorts());
    }

    /** Validates and resolves {@code url} off the event loop; fails with {@link RefusedException}. */
    public Uni<Target> check(String url) {
        Parsed parsed;
        try {
            parsed = parse(url);
        } catch (RefusedException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().item(() -> resolve(parsed)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** {@link #check} for the API: a refusal is a 422 with its reason. */
    public Uni<Target> checkForApi(String url) {
        return check(url).onFailure(RefusedException.class)
                .transform(e -> ApiException.unprocessable("Field 'url' is not allowed: " + e.getMessage()));
    }

    Parsed parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedException("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getRawAuthority();
        if (!uri.isAbsolute() || uri.isOpaque() || authority == null || authority.isBlank()) {
            throw new RefusedException("an absolute https URL with a host is required");
        }
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new RefusedException("https is required");
        }
        if (uri.getRawUserInfo() != null || authority.indexOf('@') >= 0) {
            throw new RefusedException("credentials in the URL are not accepted");
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedException("a fragment is not accepted");
        }
        boolean ssl = scheme.equals("https");

        String hostPart;
        String portPart;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new RefusedException("not a valid URL");
            }
            hostPart = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new RefusedException("not a valid URL");
            }
            portPart = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = authority.indexOf(':');
            hostPart = colon < 0 ? authority : authority.substring(0, colon);
            portPart = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = port(portPart, ssl);

        String host;
        InetAddress literal = null;
        boolean canonicalSpelling = true;
        if (authority.startsWith("[")) {
            literal = ipv6(hostPart);
            host = hostPart.toLowerCase(Locale.ROOT);
        } else {
            host = canonicalName(hostPart);
            String[] labels = host.split("\\.", -1);
            if (isNumeric(labels[labels.length - 1])) {
                byte[] address = ipv4(labels, hostPart);
                try {
                    literal = InetAddress.getByAddress(address);
                } catch (UnknownHostException e) {
                    throw new RefusedException("the host " + hostPart + " is not a valid IPv4 address");
                }
                String dotted = literal.getHostAddress();
                canonicalSpelling = dotted.equals(hostPart);
                if (canonicalSpelling) {
                    host = dotted;
                }
            }
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Parsed(uri, ssl, host, literal, canonicalSpelling, port, requestUri);
    }

    Target resolve(Parsed parsed) {
        String shown = parsed.uri().getRawAuthority().replaceFirst(":[^:\\]]*$", "");
        InetAddress[] addresses;
        if (parsed.literal() != null) {
            addresses = new InetAddress[]{parsed.literal()};
        } else {
            try {
                addresses = InetAddress.getAllByName(parsed.host());
            } catch (UnknownHostException e) {
                throw new RefusedException("the host " + shown + " does not resolve");
            }
            if (addresses.length == 0) {
                throw new RefusedException("the host " + shown + " does not resolve");
            }
        }
        boolean allowlisted = parsed.canonicalSpelling() && allowedHosts.contains(parsed.host());
        if (allowlisted) {
            // Local development only: the address may be loopback, but never the platform itself.
            if (platformPorts.contains(parsed.port())) {
                throw new RefusedException("the port " + parsed.port() + " of " + shown
                        + " is one of the platform's own services");
            }
            if (isPlatformPath(parsed.uri().getRawPath())) {
                throw new RefusedException("the path " + parsed.uri().getRawPath()
                        + " leads to the platform's internal routes");
            }
        } else {
            for (InetAddress address : addresses) {
                if (isForbidden(address)) {
                    throw new RefusedException("the host " + shown + " resolves to a private or reserved address");
                }
            }
            if (!parsed.canonicalSpelling()) {
                throw new RefusedException("the host " + shown + " is an IPv4 address in an ambiguous spelling; write "
                        + parsed.literal().getHostAddress());
            }
        }
        return new Target(parsed.uri(), parsed.ssl(), parsed.host(), parsed.port(), parsed.requestUri(),
                addresses[0]);
    }

    private static int port(String text, boolean ssl) {
        if (text == null || text.isEmpty()) {
            return ssl ? 443 : 80;
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RefusedException("the port must be a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new RefusedException("the port must be a number from 1 to 65535");
        }
        return port;
    }

    /** A host name in lower case without its trailing dot; only letters, digits, '-', '_' and non-empty labels. */
    private static String canonicalName(String raw) {
        String host = raw.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.startsWith(".") || host.contains("..")
                || !host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '_' || c == '.')) {
            throw new RefusedException("the host " + raw + " is not a valid host name");
        }
        return host;
    }

    private static String canonicalAllowedHost(String entry) {
        String host = entry.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** Whether a label reads as a number (decimal, octal or {@code 0x} hex): then the host is an IPv4 address. */
    private static boolean isNumeric(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.startsWith("0x")) {
            return label.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return label.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * An IPv4 address as {@code inet_aton} and URL parsers read it: 1 to 4 parts, each decimal, octal (leading 0) or
     * hex ({@code 0x}); the last part fills the remaining bytes.
     */
    private static byte[] ipv4(String[] labels, String raw) {
        if (labels.length > 4) {
            throw new RefusedException("the host " + raw + " is not a valid IPv4 address");
        }
        long[] parts = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            int radix = 10;
            String digits = label;
            if (label.startsWith("0x")) {
                radix = 16;
                digits = label.substring(2);
            } else if (label.length() > 1 && label.startsWith("0")) {
                radix = 8;
                digits = label.substring(1);
            }
            if (digits.isEmpty()) {
                parts[i] = 0;
                continue;
            }
            int base = radix;
            if (digits.length() > 12 || !digits.chars().allMatch(c -> Character.digit(c, base) >= 0)) {
                throw new RefusedException("the host " + raw + " is not a valid IPv4 address");
            }
            parts[i] = Long.parseLong(digits, radix);
        }
        long value = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i] > 255) {
                throw new RefusedException("the host " + raw + " is not a valid IPv4 address");
            }
            value |= parts[i] << (8 * (3 - i));
        }
        long last = parts[parts.length - 1];
        if (last >= 1L << (8 * (5 - parts.length))) {
            throw new RefusedException("the host " + raw + " is not a valid IPv4 address");
        }
        value |= last;
        return new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static InetAddress ipv6(String text) {
        if (text.isEmpty() || !text.contains(":")
                || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            // a zone id (%eth0) or anything else is refused
            throw new RefusedException("the host [" + text + "] is not a valid IPv6 address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new RefusedException("the host [" + text + "] is not a valid IPv6 address");
        }
    }

    /**
     * Whether a path reaches the platform's internal routes once a server has decoded and normalised it:
     * percent-decoded, backslashes as slashes, parameters ({@code ;…}) and empty segments dropped, dot segments
     * resolved, case ignored.
     */
    static boolean isPlatformPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return false;
        }
        String decoded = percentDecode(rawPath).replace('\\', '/');
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            int parameters = segment.indexOf(';');
            String name = (parameters >= 0 ? segment.substring(0, parameters) : segment).trim();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(name.toLowerCase(Locale.ROOT));
            }
        }
        String first = segments.peekFirst();
        return first != null && (first.startsWith("internal") || first.equals("q"));
    }

    private static String percentDecode(String raw) {
        String current = raw;
        // twice: a server or proxy may decode once more (%252e)
        for (int round = 0; round < 2 && current.indexOf('%') >= 0; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < current.length(); i++) {
                char c = current.charAt(i);
                if (c == '%' && i + 2 < current.length() && Character.digit(current.charAt(i + 1), 16) >= 0
                        && Character.digit(current.charAt(i + 2), 16) >= 0) {
                    out.write(Integer.parseInt(current.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    out.write(bytes, 0, bytes.length);
                }
            }
            current = out.toString(StandardCharsets.UTF_8);
        }
        return current;
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
            int third = b[2] & 0xff;
            return first == 0 // this network
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && third == 0) // IETF protocol assignments
                    || (first == 192 && second == 0 && third == 2) // documentation (TEST-NET-1)
                    || (first == 192 && second == 88 && third == 99) // 6to4 relay anycast
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || (first == 198 && second == 51 && third == 100) // documentation (TEST-NET-2)
                    || (first == 203 && second == 0 && third == 113) // documentation (TEST-NET-3)
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            boolean zero80 = true; // the first 80 bits are zero
            for (int i = 0; i < 10; i++) {
                zero80 &= b[i] == 0;
            }
            int word5 = ((b[10] & 0xff) << 8) | (b[11] & 0xff);
            if (zero80 && (word5 == 0 || word5 == 0xffff)) { // IPv4-compatible ::/96, IPv4-mapped ::ffff:0:0/96
                return embedded(b, 12, false);
            }
            boolean zero64 = true;
            for (int i = 0; i < 8; i++) {
                zero64 &= b[i] == 0;
            }
            if (zero64 && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
                return embedded(b, 12, false); // IPv4-translated ::ffff:0:0:0/96
            }
            if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                for (int i = 4; i < 12; i++) {
                    if (b[i] != 0) {
                        return true; // 64:ff9b:1::/48 local-use NAT64 and anything else in 64:ff9b::/32
                    }
                }
                return embedded(b, 12, false); // NAT64 64:ff9b::/96
            }
            if ((first & 0xe0) != 0x20) {
                return true; // outside global unicast 2000::/3
            }
            if (first == 0x20 && second == 0x02) {
                return embedded(b, 2, false); // 6to4 2002::/16
            }
            if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
                return embedded(b, 4, false) || embedded(b, 12, true); // Teredo 2001::/32: server, client
            }
            if (first == 0x20 && second == 0x01 && (b[2] & 0xfe) == 0) {
                return true; // 2001::/23 IETF protocol assignments
            }
            if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return true; // 2001:db8::/32 documentation
            }
            if (first == 0x3f && (second & 0xf0) == 0xf0) {
                return true; // 3fff::/20 documentation
            }
        }
        return false;
    }

    /** Judges the IPv4 address at {@code b[offset..offset+3]} (bits inverted for Teredo's obfuscated client). */
    private static boolean embedded(byte[] b, int offset, boolean inverted) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            v4[i] = (byte) (inverted ? ~b[offset + i] : b[offset + i]);
        }
        try {
            return isForbidden(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
