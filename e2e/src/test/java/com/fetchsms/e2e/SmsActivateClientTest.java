package com.fetchsms.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * An unmodified third-party SMS-Activate client — the npm package {@code hero-sms}, pinned with a lockfile in
 * {@code e2e/clients/sms-activate} and installed by this test with {@code npm ci} — runs a customer's script
 * ({@code scenario.mjs}) against the real stack with only its base URL changed: it sees the protocol's refusals where
 * they belong, buys a Telegram number, gets the code a modem gateway delivers, asks for another and gets it,
 * completes, buys another and cancels it with a refund. The REST API shows the same purchases and ledger, and the
 * money invariant ({@link MoneyInvariantTest}) covers both APIs.
 */
@Order(35)
class SmsActivateClientTest extends E2eTest {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aPublishedSmsActivateClientBuysReceivesTwoCodesCompletesAndCancelsWithARefund() throws Exception {
        Customer buyer = world().newCustomer("sms-activate", 1000);
        Customer poor = world().newCustomer("sms-activate-poor", 0);
        Path client = installClient();

        Process script = new ProcessBuilder("node", "scenario.mjs", world().stack.baseUrl, buyer.apiKey, poor.apiKey)
                .directory(client.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        String firstCode = code(6);
        String secondCode = code(6);
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                String[] words = line.split(" ");
                if (words[0].equals("NUMBER")) {
                    // the modem receives the first code; the script is polling getStatus
                    deliverTelegramCode(words[2], firstCode, Instant.now());
                } else if (words[0].equals("WAITING")) {
                    // the script asked for another code: the next SMS of the service, received after the request
                    // (carrier times are whole seconds: one second later is surely after it), is the second
                    deliverTelegramCode(phone(lines), secondCode, Instant.now().plusSeconds(1));
                }
            }
        }
        assertTrue(script.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the script ends");
        assertEquals(0, script.exitValue(), "the script's lines: " + lines);

        assertEquals(List.of(
                "BALANCE 10",
                "REFUSED bad-key BAD_KEY",
                "REFUSED bad-service BAD_SERVICE",
                "REFUSED other-country NO_NUMBERS",
                "REFUSED no-balance NO_BALANCE",
                "PRICE 0.7",
                "NUMBER " + activation(lines) + " " + phone(lines),
                "CODE " + firstCode,
                "RETRY ACCESS_RETRY_GET",
                "WAITING STATUS_WAIT_RETRY " + firstCode,
                "CODE " + secondCode,
                "COMPLETE ACCESS_ACTIVATION",
                lines.get(12),
                "CANCEL ACCESS_CANCEL",
                "STATUS STATUS_CANCEL",
                "BALANCE 9.3",
                "DONE"), lines);
        assertTrue(lines.get(12).matches("BOUGHT \\d+ 1\\d{10}"), lines.get(12));

        // The same purchases in the REST API, paid from the same wallet and ledger.
        JsonPath list = buyer.withKey().queryParam("tab", "history").get("/verifications").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("cancelled", "received"), list.getList("status"), "newest first");
        assertEquals(secondCode, list.getString("[1].code"));
        assertEquals("(" + phone(lines).substring(1, 4) + ") " + phone(lines).substring(4, 7) + "-"
                + phone(lines).substring(7), list.getString("[1].number"));
        Customer.LedgerItem refund = awaitRefund(buyer, list.getString("[0].ref"));
        assertEquals(70, refund.amountCents());
        assertEquals(930, buyer.balance(), "one verification paid, the cancelled one refunded");
        assertEquals(0, poor.balance());
        assertEquals(0, poor.withKey().queryParam("tab", "history").get("/verifications").then().statusCode(200)
                .extract().jsonPath().getList("$").size(), "a refused purchase shows nowhere");
    }

    private static String activation(List<String> lines) {
        return number(lines)[1];
    }

    private static String phone(List<String> lines) {
        return number(lines)[2];
    }

    private static String[] number(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("NUMBER ")).findFirst().orElseThrow().split(" ");
    }

    private static void deliverTelegramCode(String digits, String code, Instant receivedAt) {
        world().deliverSms("+" + digits, "Telegram", "Telegram code: " + code
                + ". Do not give this code to anyone, even if they say they are from Telegram!",
                receivedAt.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /** {@code e2e/clients/sms-activate} with its pinned packages installed ({@code npm ci}, once per checkout). */
    private static Path installClient() throws IOException, InterruptedException {
        Path client = world().stack.root.resolve("e2e/clients/sms-activate");
        Path installed = client.resolve("node_modules/hero-sms/package.json");
        if (!Files.exists(installed)) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(client.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm ci ends");
            assertEquals(0, npm.exitValue(), "npm ci: " + output);
        }
        assertTrue(Files.readString(installed).contains("\"version\": \"2.0.0\""), "hero-sms at the pinned 2.0.0");
        return client;
    }
}
