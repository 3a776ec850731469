package com.fetchsms.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fetchsms.webhook.config.WebhookConfig;
import com.fetchsms.webhook.service.UrlGuard;

/** The address rules and the production URL rules (https only, no allowlist), without the application. */
class UrlGuardTest {

    @Test
    void privateAndReservedAddressesAreForbiddenAndPublicOnesAllowed() throws Exception {
        for (String address : List.of("169.254.169.254", "10.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "127.0.0.1", "127.1.2.3", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255",
                "198.18.0.1", "::1", "::", "fd00::1", "fd00:ec2::254", "fc00::1", "fe80::1", "ff02::1",
                "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "::10.0.0.1")) {
            assertTrue(UrlGuard.isForbidden(InetAddress.getByName(address)), address);
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111",
                "64:ff9b::808:808")) {
            assertFalse(UrlGuard.isForbidden(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void outsideLocalModeOnlyHttpsIsAcceptedAndNothingIsAllowlisted() {
        UrlGuard guard = new UrlGuard(config(false, List.of()));
        assertThrows(UrlGuard.RefusedException.class,
                () -> guard.check("http://93.184.216.34/hook").await().atMost(Duration.ofSeconds(5)));
        assertThrows(UrlGuard.RefusedException.class,
                () -> guard.check("https://127.0.0.1/hook").await().atMost(Duration.ofSeconds(5)));
        UrlGuard.Target target = guard.check("https://93.184.216.34:8443/hook?x=1").await()
                .atMost(Duration.ofSeconds(5));
        assertEquals("93.184.216.34", target.address().getHostAddress());
        assertEquals(8443, target.port());
        assertEquals("/hook?x=1", target.requestUri());
        assertTrue(target.ssl());
    }

    @Test
    void theAllowlistMatchesTheLiteralHostNotWhatItResolvesTo() {
        UrlGuard guard = new UrlGuard(config(true, List.of("127.0.0.1")));
        assertEquals("127.0.0.1", guard.check("http://127.0.0.1:9/hook").await().atMost(Duration.ofSeconds(5))
                .address().getHostAddress());
        assertThrows(UrlGuard.RefusedException.class,
                () -> guard.check("http://localhost:9/hook").await().atMost(Duration.ofSeconds(5)));
    }

    private static WebhookConfig config(boolean allowHttp, List<String> allowed) {
        return (WebhookConfig) Proxy.newProxyInstance(WebhookConfig.class.getClassLoader(),
                new Class<?>[]{WebhookConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "allowHttp" -> allowHttp;
                    case "allowedHosts" -> Optional.of(allowed);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
