package com.fetchsms.wallet;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Debits publish {@code wallet.debited} ({@code fetchsms.wallet.debit-events=true}; off by default, decision 0035). */
public class DebitEventsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fetchsms.wallet.debit-events", "true");
    }
}
