package com.fetchsms.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
                "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "::10.0.0.1",
                // 6to4 of 127.0.0.1 and 10.0.0.1, Teredo with client 127.0.0.1 (obfuscated) or a private server
                "2002:7f00:1::", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:a00:1::1",
                // IPv4-translated, local-use NAT64, documentation, reserved and non-global IPv6
                "::ffff:0:7f00:1", "64:ff9b:1::a00:1", "2001:db8::1", "3fff::1", "2001:2::1", "100::1", "4000::1",
                "192.0.2.1", "198.51.100.1", "203.0.113.1")) {
            assertTrue(UrlGuard.isForbidden(InetAddress.getByName(address)), address);
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111",
                "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7")) {
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

    @Test
    void everySpellingOfAPrivateAddressIsRefused() {
        for (UrlGuard guard : List.of(new UrlGuard(config(true, List.of())),
                new UrlGuard(config(true, List.of("127.0.0.1", "localhost"))))) {
            for (String url : List.of("http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/",
                    "http://2130706433/", "http://017700000001/", "http://127.1/", "http://127.0.1/",
                    "http://0x7F.1:9/", "http://0.0.0.0./", "http://10.1/", "http://0xa9.0xfe.0xa9.0xfe/",
                    "http://169.254.43518/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
                    "http://[::127.0.0.1]/", "http://[0:0:0:0:0:ffff:127.0.0.1]/", "http://[2002:7f00:1::]/",
                    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "http://[64:ff9b::7f00:1]/",
                    "http://[64:ff9b::169.254.169.254]/", "http://LOCALHOST:8082/", "http://localhost.:8082/")) {
                UrlGuard.RefusedException refused = assertThrows(UrlGuard.RefusedException.class,
                        () -> guard.check(url).await().atMost(Duration.ofSeconds(5)), url);
                assertNotNull(refused.getMessage(), url);
            }
        }
    }

    @Test
    void malformedHostsAndPortsAreRefused() {
        UrlGuard guard = new UrlGuard(config(true, List.of("127.0.0.1")));
        for (String url : List.of("http://127.0.0.1:99999/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
                "http://127.0.0.1:-1/", "http://127.0.0.1:+80/", "http://93.184.216.34:99999/", "http://1.2.3.4.5/",
                "http://256.0.0.1/", "http://08.0.0.1/", "http://example.123/", "http://[fe80::1%25eth0]/",
                "http://exa%6dple.com/", "http://[::1/", "http://a..b/")) {
            assertThrows(UrlGuard.RefusedException.class,
                    () -> guard.check(url).await().atMost(Duration.ofSeconds(5)), url);
        }
    }

    @Test
    void aPublicAddressInAnAmbiguousSpellingIsRefusedAndInDottedDecimalAccepted() {
        UrlGuard guard = new UrlGuard(config(false, List.of()));
        assertThrows(UrlGuard.RefusedException.class,
                () -> guard.check("https://0x5db8d822/hook").await().atMost(Duration.ofSeconds(5)));
        assertThrows(UrlGuard.RefusedException.class,
                () -> guard.check("https://093.184.216.34/hook").await().atMost(Duration.ofSeconds(5)));
        UrlGuard.Target target = guard.check("https://93.184.216.34:65535/hook").await()
                .atMost(Duration.ofSeconds(5));
        assertEquals(65535, target.port());
        UrlGuard.Target v6 = guard.check("https://[2606:4700:4700::1111]/hook").await()
                .atMost(Duration.ofSeconds(5));
        assertEquals("2606:4700:4700::1111", v6.host());
        assertEquals(443, v6.port());
    }

    @Test
    void anAllowlistedLoopbackHostNeverReachesThePlatformsPortsOrInternalRoutes() {
        UrlGuard guard = new UrlGuard(config(true, List.of("127.0.0.1", "localhost")));
        for (String url : List.of("http://127.0.0.1:8080/v1/services", "http://127.0.0.1:8082/hook",
                "http://127.0.0.1:8086/hook", "http://127.0.0.1:9092/", "http://localhost:8081/",
                "http://127.0.0.1:9/internal/reservations/1/release", "http://127.0.0.1:9/INTERNAL/debits",
                "http://127.0.0.1:9/q/health", "http://127.0.0.1:9/q", "http://127.0.0.1:9/hook/../internal/debits",
                "http://127.0.0.1:9/%69nternal/debits", "http://127.0.0.1:9//internal/debits",
                "http://127.0.0.1:9/%2e%2e/q/metrics", "http://127.0.0.1:9/;x/internal/debits",
                "http://127.0.0.1:9/internal;x=1/debits", "http://127.0.0.1:9/%252e%252e/internal/debits")) {
            UrlGuard.RefusedException refused = assertThrows(UrlGuard.RefusedException.class,
                    () -> guard.check(url).await().atMost(Duration.ofSeconds(5)), url);
            assertTrue(refused.getMessage().contains("platform"), url + ": " + refused.getMessage());
        }
        assertEquals("/hooks/internal?q=1", guard.check("http://127.0.0.1:9/hooks/internal?q=1").await()
                .atMost(Duration.ofSeconds(5)).requestUri());
        assertEquals("localhost", guard.check("http://LOCALHOST.:9/hook").await().atMost(Duration.ofSeconds(5))
                .host());
    }

    private static WebhookConfig config(boolean allowHttp, List<String> allowed) {
        return (WebhookConfig) Proxy.newProxyInstance(WebhookConfig.class.getClassLoader(),
                new Class<?>[]{WebhookConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "allowHttp" -> allowHttp;
                    case "allowedHosts" -> Optional.of(allowed);
                    case "platformPorts" -> Set.of(8080, 8081, 8082, 8083, 8084, 8085, 8086, 9092);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
