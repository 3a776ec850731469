package com.fetchsms.wallet.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fetchsms.wallet.config.WalletConfig;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** The registered payment providers and the one deposits use ({@code fetchsms.wallet.payments.provider}). */
@ApplicationScoped
public class PaymentProviders {

    private static final Logger LOG = Logger.getLogger(PaymentProviders.class);

    private final Map<String, PaymentProvider> byName = new HashMap<>();
    private final String active;

    public PaymentProviders(@Any Instance<PaymentProvider> providers, WalletConfig config) {
        providers.forEach(provider -> byName.put(provider.name(), provider));
        this.active = config.payments().provider();
    }

    /** {@code fetchsms.wallet.payments.provider=none}: deposits are refused until a provider is configured. */
    public static final String NONE = "none";

    void check(@Observes StartupEvent event) {
        if (NONE.equals(active)) {
            LOG.warn("No payment provider is configured (FETCHSMS_WALLET_PAYMENTS_PROVIDER): deposits are refused");
            return;
        }
        if (!byName.containsKey(active)) {
            throw new IllegalStateException("fetchsms.wallet.payments.provider=" + active + " is not one of "
                    + byName.keySet());
        }
        if (SandboxPaymentProvider.NAME.equals(active) && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("Deposits use the SANDBOX payment provider: wallets are credited without any payment. "
                    + "Configure a real provider (FETCHSMS_WALLET_PAYMENTS_PROVIDER) before taking customers.");
        }
    }

    /** The provider new deposits go to; empty when none is configured. */
    public Optional<PaymentProvider> active() {
        return Optional.ofNullable(byName.get(active));
    }

    public Optional<PaymentProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
