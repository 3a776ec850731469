package com.fetchsms.dashboard.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Sends the gateway's voucher for the browser's address back with every call the dashboard makes for that browser
 * (decision 0028). The gateway gives one ({@value #HEADER}) with each request it forwards here when it has a
 * client-address key; the dashboard copies it as it came, never reads, keeps or logs it. The gateway, recognising its
 * own voucher, forwards the browser's address to the services instead of the dashboard's, so per-address throttles
 * (signups, failed logins) count each browser on its own. No voucher came (no key at the gateway, a request that did
 * not come through it): nothing is sent, and the calls count as the dashboard's own address.
 */
@ApplicationScoped
public class ClientAddressRelay implements ClientHeadersFactory {

    public static final String HEADER = "X-FetchSMS-Client-Address";

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
            MultivaluedMap<String, String> clientOutgoingHeaders) {
        MultivaluedMap<String, String> relayed = new MultivaluedHashMap<>();
        List<String> voucher = incomingHeaders == null ? null : incomingHeaders.get(HEADER);
        if (voucher != null && voucher.size() == 1) {
            relayed.putSingle(HEADER, voucher.get(0));
        }
        return relayed;
    }
}
