package com.fetchsms.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Loading the detection rules, and the rules that ship with the service. */
class ServiceRulesTest {

    /** Catalog short-term services (catalog-service V2__seed_catalog.sql), slug → name. */
    private static final Map<String, String> CATALOG = Map.ofEntries(Map.entry("whatsapp", "WhatsApp"),
            Map.entry("google", "Google"), Map.entry("telegram", "Telegram"), Map.entry("facebook", "Facebook"),
            Map.entry("instagram", "Instagram"), Map.entry("tiktok", "TikTok"), Map.entry("discord", "Discord"),
            Map.entry("microsoft", "Microsoft"), Map.entry("apple", "Apple"), Map.entry("amazon", "Amazon"),
            Map.entry("uber", "Uber"), Map.entry("lyft", "Lyft"), Map.entry("paypal", "PayPal"),
            Map.entry("venmo", "Venmo"), Map.entry("cashapp", "Cash App"), Map.entry("coinbase", "Coinbase"),
            Map.entry("tinder", "Tinder"), Map.entry("bumble", "Bumble"), Map.entry("hinge", "Hinge"),
            Map.entry("snapchat", "Snapchat"), Map.entry("twitter", "X (Twitter)"), Map.entry("signal", "Signal"),
            Map.entry("viber", "Viber"), Map.entry("wechat", "WeChat"), Map.entry("line", "LINE"),
            Map.entry("netflix", "Netflix"), Map.entry("airbnb", "Airbnb"), Map.entry("doordash", "DoorDash"),
            Map.entry("openai", "OpenAI"), Map.entry("yahoo", "Yahoo"), Map.entry("linkedin", "LinkedIn"),
            Map.entry("ebay", "eBay"), Map.entry("steam", "Steam"), Map.entry("robinhood", "Robinhood"),
            Map.entry("chime", "Chime"), Map.entry("instacart", "Instacart"), Map.entry("grubhub", "Grubhub"),
            Map.entry("kakaotalk", "KakaoTalk"), Map.entry("reddit", "Reddit"), Map.entry("twitch", "Twitch"),
            Map.entry("nike", "Nike"));

    private static InputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultsCoverEveryShortTermCatalogServiceWithItsCatalogName() {
        Map<String, ServiceRule> rules = ServiceRules.defaults().stream()
                .collect(Collectors.toMap(ServiceRule::slug, Function.identity()));
        assertEquals(CATALOG.keySet(), rules.keySet());
        CATALOG.forEach((slug, name) -> assertEquals(name, rules.get(slug).name(), slug));
        assertFalse(rules.containsKey("unlimited-services"), "the rental product is not detected");
        rules.values().forEach(rule -> assertTrue(
                !rule.keywords().isEmpty() || !rule.caseSensitiveKeywords().isEmpty(), rule.slug() + " has keywords"));
    }

    @Test
    void loadsAllFieldsInDocumentOrder() {
        List<ServiceRule> rules = ServiceRules.load(json("{\"description\":\"x\",\"services\":["
                + "{\"slug\":\"a\",\"name\":\"A\",\"senders\":[\"123\"],\"keywords\":[\"alpha\"],"
                + "\"case_sensitive_keywords\":[\"ALPHA\"],\"excluded_phrases\":[\"alpha pay\"]},"
                + "{\"slug\":\"b\",\"name\":\"B\"}]}"));
        assertEquals(List.of(new ServiceRule("a", "A", List.of("123"), List.of("alpha"), List.of("ALPHA"),
                List.of("alpha pay")), new ServiceRule("b", "B", List.of(), List.of())), rules);
    }

    @Test
    void rejectsInvalidDocuments() {
        assertThrows(IllegalArgumentException.class, () -> ServiceRules.load(json("{")), "not JSON");
        assertThrows(IllegalArgumentException.class, () -> ServiceRules.load(json("[]")), "not an object");
        assertThrows(IllegalArgumentException.class, () -> ServiceRules.load(json("{\"rules\":[]}")),
                "unknown top-level field");
        assertThrows(IllegalArgumentException.class,
                () -> ServiceRules.load(json("{\"services\":[{\"slug\":\"a\",\"name\":\"A\",\"keyword\":[]}]}")),
                "misspelt field");
        assertThrows(IllegalArgumentException.class,
                () -> ServiceRules.load(json("{\"services\":[{\"slug\":\"a\"}]}")), "missing name");
        assertThrows(IllegalArgumentException.class, () -> ServiceRules
                .load(json("{\"services\":[{\"slug\":\"a\",\"name\":\"A\"},{\"slug\":\"a\",\"name\":\"B\"}]}")),
                "duplicate slug");
        assertThrows(IllegalArgumentException.class,
                () -> ServiceRules.load(json("{\"services\":[{\"slug\":\"a\",\"name\":\"A\",\"senders\":[1]}]}")),
                "non-string sender");
        assertThrows(IllegalArgumentException.class,
                () -> ServiceRules.load(json("{\"services\":[{\"slug\":\"a\",\"name\":\"A\",\"keywords\":[\" \"]}]}")),
                "blank keyword");
    }
}
