package com.fetchsms.wallet.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fetchsms.wallet.config.WalletConfig;

/**
 * The client address of a request, for throttling. The TCP peer is the client unless it is a trusted proxy (the
 * gateway): then {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the first address no
 * trusted proxy vouches for is the client. Entries a client wrote itself stand left of that and are never read. The
 * gateway replaces {@code X-Forwarded-For} with the peer it saw unless told that a proxy in front of it is trusted.
 * (Quarkus' own proxy support takes the leftmost entry, which a client can write, hence these few lines.)
 */
@ApplicationScoped
public class ClientAddressResolver {

    /** Characters of a literal IPv4 or IPv6 address (never a host name: nothing here resolves DNS). */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> trusted;

    @Inject
    public ClientAddressResolver(WalletConfig config) {
        this(config.clientAddresses().trustedProxies());
    }

    ClientAddressResolver(List<String> trustedProxies) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : trustedProxies) {
            String value = entry.trim();
            if (value.isEmpty()) {
                continue;
            }
            int slash = value.indexOf('/');
            byte[] network = parse(slash < 0 ? value : value.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException(
                        "fetchsms.wallet.client-addresses.trusted-proxies: not an address or CIDR block: " + value);
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(value.substring(slash + 1));
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException(
                        "fetchsms.wallet.client-addresses.trusted-proxies: bad prefix length: " + value);
            }
            blocks.add(new Block(network, prefix));
        }
        this.trusted = List.copyOf(blocks);
    }

    /** The client address of a request from {@code peer} carrying these {@code X-Forwarded-For} headers. */
    public String resolve(String peer, List<String> forwardedFor) {
        String client = canonical(peer);
        if (client == null) {
            return "unknown";
        }
        if (!isTrusted(client) || forwardedFor == null || forwardedFor.isEmpty()) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = canonical(hops.get(i));
            if (hop == null) {
                // A hop nobody can vouch for: the nearest trusted proxy's peer is as far as the chain is believed.
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = parse(address);
        return bytes != null && trusted.stream().anyMatch(block -> block.contains(bytes));
    }

    /** The address in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 compressed), or null when it is not a literal. */
    static String canonical(String value) {
        byte[] bytes = parse(value);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] parse(String value) {
        if (value == null) {
            return null;
        }
        String literal = value.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!LITERAL.matcher(literal).matches() || (literal.indexOf(':') < 0 && !literal.matches("[0-9.]+"))) {
            return null;
        }
        try {
            // A literal (checked above), so no name is looked up. An IPv4-mapped IPv6 address comes back as IPv4.
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
