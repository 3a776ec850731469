package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import io.restassured.path.json.JsonPath;

/**
 * The dashboard in a real browser (headless Chromium through WebDriver), through the gateway, on the real stack: the
 * first screen, a customer who signs up, tops up, creates an API key, buys a Telegram verification and watches its
 * code appear without reloading, cancels another and gets the money back (also live, on the wallet open in another
 * tab); the security the pages promise (a strict Content-Security-Policy, a session cookie no script can read, forms
 * refused without their CSRF token, signing out ends the session). The pages' function is driven in a browser without
 * the back/forward cache; the last scenario signs in again in Chromium as it ships, looks around and still sees the
 * next code arrive live. The operator's side and the modem gateway's SMS go through the API, as in the other
 * scenarios; the customer is checked by the money invariant at the end. Screenshots of every page:
 * {@code e2e/target/screenshots/}.
 */
@Order(38)
class DashboardBrowserTest extends E2eTest {

    /** The pages' function: a browser whose pages, once left, hold nothing (no back/forward cache). */
    @RegisterExtension
    static final Browser browser = new Browser();
    /** A customer's browser as Chromium ships, back/forward cache included, for the last scenario. */
    @RegisterExtension
    static final Browser shipped = Browser.asShipped();

    /** An area code no other scenario stocks: the customer buys exactly these numbers. */
    static final String AREA_CODE = "505";
    static final String CODE = "48291";
    /** Telegram, 70 ¢, and 10 ¢ for choosing the area code. */
    static final long PRICE = 80;
    static final long DEPOSIT = 2500;
    /**
     * A page's event stream is open once the first bytes came through the gateway (today the dashboard's first
     * heartbeat, 15 s) — after a reconnect if the account's five streams were still taken for a moment.
     */
    static final Duration LIVE = Duration.ofSeconds(45);

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    static List<String> numbers;
    static String email;
    static String password;
    static Customer customer;
    static String received;
    static String cancelled;
    static String cancelledRef;
    static String walletTab;
    static String walletMark;

    @BeforeAll
    static void stockNumbers() {
        numbers = world().newNumbers(AREA_CODE, 3);
        world().importNumbers(world().modemA, numbers);
        String run = UUID.randomUUID().toString().substring(0, 8);
        email = "browser-" + run + "@e2e.example.com";
        password = "correct-horse-browser-" + run + "-staple";
    }

    @Test
    @Order(1)
    void theRootRedirectsToTheDashboardWhoseFirstScreenShowsServicesWithPricesAndASignUpLink() {
        HttpResponse<String> root = get("/", null);
        assertEquals(303, root.statusCode(), "GET / through the gateway");
        assertEquals(Optional.of("/app/"), root.headers().firstValue("Location"));

        browser.visit("/", "home");
        assertEquals("/app/", browser.path(), "the browser followed the redirect to the dashboard");
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement row : browser.all("#services-table tbody tr")) {
            shown.put(row.findElement(By.cssSelector("th")).getText().trim(),
                    row.findElements(By.cssSelector("td")).get(0).getText().trim());
        }
        List<Map<String, Object>> services = World.anonymous().get("/services").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.long_prices.isEmpty() }");
        assertFalse(services.isEmpty());
        for (Map<String, Object> service : services) {
            assertEquals(usd(((Number) service.get("price_cents")).longValue()), shown.get(service.get("name")),
                    "the price of " + service.get("name") + " in " + shown);
        }
        assertEquals("$0.70", shown.get("Telegram"));
        WebElement signUp = browser.driver().findElement(By.linkText("Create a free account"));
        assertEquals("/app/signup", signUp.getDomAttribute("href"));

        // The search box filters the table as one types (the dashboard's own script, under the CSP).
        browser.type("#service-search", "tele");
        browser.waitFor("only Telegram left in the table",
                d -> browser.all("#services-table tbody tr").stream().filter(WebElement::isDisplayed)
                        .map(r -> r.findElement(By.cssSelector("th")).getText().trim()).toList()
                        .equals(List.of("Telegram")));
        browser.screenshot("home-search");
        browser.type("#service-search", "");

        browser.asPhone(() -> {
            browser.visit("/app/", "home-phone");
            assertTrue(browser.driver().findElement(By.linkText("Create a free account")).isDisplayed(),
                    "the sign-up link on a phone's screen");
        });
    }

    @Test
    @Order(2)
    void aNewCustomerSignsUpTopsUpCreatesAKeyBuysAVerificationAndSeesTheCodeArriveWithoutReloading() {
        // Sign up
        browser.visit("/app/signup", "signup");
        browser.type("#email", email);
        browser.type("#password", password);
        browser.submit("Create account", "wallet-welcome");
        assertEquals("/app/wallet?welcome=1", browser.path());
        assertEquals("$0.00", browser.text("#balance"));
        registerForTheMoneyInvariant();

        // Top up $25 by card (the local stack's sandbox payment provider completes at once)
        browser.type("#amount", "25");
        assertTrue(browser.find("input[name=method][value=card]").isSelected(), "card by default");
        browser.submit("Add money", "wallet-deposit");
        assertTrue(browser.text("#deposit-result").contains("$25.00"), browser.text("#deposit-result"));
        assertEquals("$25.00", browser.text("#balance"));
        List<WebElement> deposits = browser.all("#ledger tr.entry-deposit");
        assertEquals(1, deposits.size());
        assertEquals("$25.00", deposits.get(0).findElement(By.cssSelector("td.amount")).getText());
        assertEquals(DEPOSIT, customer.balance());

        // An API key: shown once, and it works
        browser.visit("/app/api-keys", "api-keys");
        browser.type("#key-name", "browser bot");
        assertTrue(browser.find("input[name=mode][value=live]").isSelected(), "live by default");
        browser.submit("Create key", "api-key-created");
        String key = browser.text("#new-key");
        assertTrue(key.startsWith("fsk_live_"), key);
        browser.visit("/app/api-keys", "api-keys-again");
        assertFalse(browser.present("#new-key"), "the key is shown only once");
        assertFalse(browser.driver().getPageSource().contains(key), "nowhere on the page");
        assertTrue(browser.text("#keys").contains("browser bot"), browser.text("#keys"));
        World.as(key).get("/verifications").then().statusCode(200);
        customer.apiKey = key;

        // Buy a Telegram verification on the area code
        browser.visit("/app/", "home-signed-in");
        new Select(browser.find("select#service")).selectByValue("telegram");
        browser.type("#area_code", AREA_CODE);
        browser.submit("Buy number", "verification-waiting");
        Matcher page = Pattern.compile("/app/verifications/([0-9a-f-]{36})").matcher(browser.path());
        assertTrue(page.matches(), "the verification's page: " + browser.path());
        received = page.group(1);
        String number = browser.text("#number");
        assertTrue(number.matches("\\(505\\) \\d{3}-\\d{4}"), number);
        assertTrue(numbers.contains(World.e164(number)), number + " is one of " + numbers);
        assertEquals("waiting", browser.text("#status"));
        assertTrue(browser.find("#code-waiting").isDisplayed());
        assertFalse(browser.present("#code"));
        browser.waitFor("the countdown to tick (m:ss)",
                d -> browser.text("#countdown").matches("1[45]:\\d\\d"));
        assertEquals(DEPOSIT - PRICE, customer.balance(), "charged up front");

        // The modem gateway reports the SMS; the code shows up on the page by itself
        browser.awaitLive(LIVE);
        String mark = UUID.randomUUID().toString();
        browser.mark(mark);
        world().deliverSms(number, "Telegram", "Telegram code: " + CODE
                + ". Do not give this code to anyone, even if they say they are from Telegram!");
        browser.waitFor("the code on the page, without reloading", ASYNC,
                ExpectedConditions.textToBe(By.id("code"), CODE));
        assertTrue(browser.marked(mark), "the same page: not reloaded, not left");
        assertEquals("/app/verifications/" + received, browser.path());
        assertEquals("received", browser.text("#status"));
        assertFalse(browser.present("#code-waiting"));
        browser.screenshot("verification-received");
        browser.assertConsoleClean("the code's arrival");

        JsonPath verification = customer.withKey().get("/verifications/{id}", received).then().statusCode(200)
                .body("status", equalTo("received")).body("code", equalTo(CODE))
                .body("cost_cents", equalTo((int) PRICE)).extract().jsonPath();
        assertEquals(DEPOSIT - PRICE, customer.balance(), "charged once");
        List<Customer.LedgerItem> debits = customer.ledger().stream().filter(i -> i.type().equals("debit")).toList();
        assertEquals(1, debits.size(), "one debit: " + debits);
        assertEquals(verification.getString("ref"), debits.get(0).ref());
        assertEquals(-PRICE, debits.get(0).amountCents());
    }

    @Test
    @Order(3)
    void theCustomerCancelsAVerificationAndTheWalletShowsTheRefund() {
        browser.visit("/app/", "home-second-purchase");
        new Select(browser.find("select#service")).selectByValue("telegram");
        browser.type("#area_code", AREA_CODE);
        browser.submit("Buy number", "verification-second");
        Matcher page = Pattern.compile("/app/verifications/([0-9a-f-]{36})").matcher(browser.path());
        assertTrue(page.matches(), browser.path());
        cancelled = page.group(1);
        assertEquals("waiting", browser.text("#status"));
        assertEquals(DEPOSIT - 2 * PRICE, customer.balance());

        String verificationTab = browser.tab();

        // The wallet, open in a second tab, watches (the next scenario checks what it shows)
        walletTab = browser.openTab("/app/wallet", "wallet-second-tab");
        assertEquals(usd(DEPOSIT - 2 * PRICE), browser.text("#balance"));
        browser.awaitLive(LIVE);
        walletMark = UUID.randomUUID().toString();
        browser.mark(walletMark);
        // the live parts are replaced when they refresh: these marks go with the old ones
        browser.js("document.getElementById('balance-card').setAttribute('data-e2e-old', 'yes');"
                + " document.getElementById('ledger-section').setAttribute('data-e2e-old', 'yes');");

        browser.switchTo(verificationTab);
        browser.submit("Cancel and refund", "verification-cancelled");
        assertEquals("/app/verifications/" + cancelled, browser.path());
        assertEquals("cancelled", browser.text("#status"));
        assertTrue(browser.text("#verification-card").contains("refunded"), browser.text("#verification-card"));
        assertFalse(browser.present("#countdown"), "no time left to show");
        assertFalse(browser.hasButton("Cancel and refund"), "nothing left to cancel");
        String ref = customer.withKey().get("/verifications/{id}", cancelled).then().statusCode(200)
                .body("status", equalTo("cancelled")).extract().path("ref");
        Customer.LedgerItem refund = awaitRefund(customer, ref);
        assertEquals(PRICE, refund.amountCents());

        cancelledRef = ref;

        browser.visit("/app/wallet", "wallet-refund");
        assertEquals(usd(DEPOSIT - PRICE), browser.text("#balance"), "the cancelled purchase's price is back");
        List<WebElement> refunds = browser.all("#ledger tr.entry-refund");
        assertEquals(1, refunds.size(), "one refund row");
        assertEquals(usd(PRICE), refunds.get(0).findElement(By.cssSelector("td.amount")).getText(),
                "a positive amount");
        assertTrue(refunds.get(0).getText().contains(ref), refunds.get(0).getText());
        assertEquals(2, browser.all("#ledger tr.entry-debit").size());
        assertEquals(1, browser.all("#ledger tr.entry-deposit").size());

        HttpResponse<String> csv = get("/app/wallet/ledger.csv", browser.cookieHeader());
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().lines().anyMatch(l -> l.contains(",refund," + PRICE + ",") && l.endsWith("," + ref)),
                "the refund in the CSV: " + csv.body());
    }

    @Test
    @Order(4)
    void theWalletOpenInAnotherTabShowsTheRefundWithoutReloading() {
        browser.switchTo(walletTab);
        // the balance and the ledger refresh themselves when the wallet announces the refund it booked
        browser.waitFor("the refunded balance in the other tab, without reloading", LIVE,
                d -> usd(DEPOSIT - PRICE).equals(browser.text("#balance")));
        browser.waitFor("the refund row in the other tab's ledger", LIVE,
                d -> browser.all("#ledger tr.entry-refund").size() == 1);
        assertTrue(browser.marked(walletMark), "the same page: not reloaded, not left");
        assertFalse(browser.present("[data-e2e-old]"), "the balance card and the ledger were both replaced");
        assertTrue(browser.find("#ledger tr.entry-refund").getText().contains(cancelledRef),
                browser.find("#ledger tr.entry-refund").getText());
        browser.screenshot("wallet-second-tab-refunded");
        browser.closeOtherTabs();
    }

    @Test
    @Order(5)
    void everyPageCarriesTheContentSecurityPolicyAndTheSessionCookieIsOutOfScriptsReach() {
        Set<String> pages = browser.visited();
        assertTrue(pages.size() >= 6, "the pages visited: " + pages);
        for (String path : pages) {
            HttpResponse<String> page = get(path, browser.cookieHeader());
            assertEquals(200, page.statusCode(), path);
            String policy = page.headers().firstValue("Content-Security-Policy").orElse(null);
            assertNotNull(policy, "a Content-Security-Policy on " + path);
            assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'")
                    && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"),
                    path + ": " + policy);
        }

        Cookie session = browser.cookie("fs_session");
        assertNotNull(session, "signed in: the session cookie");
        assertTrue(session.isHttpOnly(), "fs_session is HttpOnly");
        assertEquals("/app", session.getPath());
        assertEquals("Lax", session.getSameSite());
        Object visible = browser.js("return document.cookie");
        assertFalse(String.valueOf(visible).contains("fs_session"), "document.cookie: " + visible);
        assertFalse(String.valueOf(visible).contains(session.getValue()), "document.cookie: " + visible);
    }

    @Test
    @Order(6)
    void aFormPostedWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        browser.visit("/app/wallet", "wallet-before-forged-post");
        long balance = customer.balance();
        int entries = customer.ledger().size();

        HttpResponse<String> forged = post("/app/wallet/deposits", browser.cookieHeader(), "amount=5&method=card");
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.headers().firstValue("Content-Security-Policy").isPresent(), "the refusal's page too");
        assertEquals(balance, customer.balance(), "nothing credited");
        assertEquals(entries, customer.ledger().size(), "nothing in the ledger");

        // The same request with the page's token is served: only the token was missing.
        String token = browser.find("form[action='/app/wallet/deposits'] input[name=_csrf]").getDomProperty("value");
        HttpResponse<String> genuine = post("/app/wallet/deposits", browser.cookieHeader(),
                "amount=5&method=card&_csrf=" + token);
        assertTrue(genuine.statusCode() == 200 || genuine.statusCode() == 303, genuine.statusCode() + " "
                + genuine.body());
        assertTrue(genuine.headers().firstValue("Content-Security-Policy").isPresent(), "a form's answer too");
        assertEquals(balance + 500, customer.balance());
    }

    @Test
    @Order(7)
    void signingOutEndsTheSessionEverywhere() {
        String session = browser.cookie("fs_session").getValue();
        browser.visit("/app/wallet", "wallet-before-sign-out");
        browser.submit("Sign out", "signed-out");
        assertNull(browser.cookie("fs_session"), "the session cookie is gone");
        assertTrue(browser.driver().findElement(By.linkText("Create a free account")).isDisplayed());
        World.as(session).get("/account").then().statusCode(401);
    }

    @Test
    @Order(8)
    void aCustomerWhoClicksThroughThePagesStillSeesTheNextCodeArriveLive() {
        // Chromium as it ships keeps the pages a customer leaves in its back/forward cache
        shipped.visit("/app/signin", "signin");
        shipped.type("#email", email);
        shipped.type("#password", password);
        shipped.submit("Sign in", "signed-in");
        assertNotNull(shipped.cookie("fs_session"), "signed in");
        // The customer looks around (each signed-in page opens its own /app/live), then buys
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/app/wallet", "look-around-wallet");
        pages.put("/app/api-keys", "look-around-api-keys");
        pages.put("/app/verifications", "look-around-verifications");
        pages.put("/app/verifications/" + received, "look-around-received");
        pages.put("/app/", "look-around-home");
        pages.forEach(shipped::visit);
        new Select(shipped.find("select#service")).selectByValue("telegram");
        shipped.type("#area_code", AREA_CODE);
        shipped.submit("Buy number", "verification-third");
        Matcher page = Pattern.compile("/app/verifications/([0-9a-f-]{36})").matcher(shipped.path());
        assertTrue(page.matches(), shipped.path());
        String mark = UUID.randomUUID().toString();
        shipped.mark(mark);

        // The SMS comes whenever it comes: here at once, without waiting for anything on the page
        String code = code(6);
        world().deliverSms(shipped.text("#number"), "Telegram", "Telegram code: " + code
                + ". Do not give this code to anyone, even if they say they are from Telegram!");
        awaitVerification(customer, page.group(1), "received");
        try {
            shipped.waitFor("the code on the page, without reloading", Duration.ofSeconds(10),
                    ExpectedConditions.textToBe(By.id("code"), code));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("The code " + code + " was received (the API says so) but did not appear on the"
                    + " verification's page without a reload. An account holds at most 5 event streams, and the pages"
                    + " the customer just left may still hold theirs (the back/forward cache keeps them). The"
                    + " browser's console about the pages' live connections (/app/live):\n"
                    + String.join("\n", shipped.takeLiveFailures()), e);
        }
        assertTrue(shipped.marked(mark), "the same page: not reloaded, not left");
        shipped.screenshot("verification-third-received");
        assertEquals(List.of(), shipped.takeLiveFailures(), "every page's live connection (/app/live) was served");
        assertEquals(DEPOSIT + 500 - 2 * PRICE, customer.balance(), "charged for the code received, once");
    }

    // ---------------------------------------------------------------- helpers

    /** The browser's customer, registered for the money invariant with a session of its own and, later, its key. */
    static void registerForTheMoneyInvariant() {
        String session = World.login(email, password);
        String id = World.as(session).get("/account").then().statusCode(200).body("email", equalTo(email))
                .extract().path("id");
        customer = new Customer(email, password, id, session);
        world().customers.add(customer);
    }

    static String usd(long cents) {
        return (cents < 0 ? "−$" : "$") + String.format("%d.%02d", Math.abs(cents) / 100, Math.abs(cents) % 100);
    }

    static HttpResponse<String> get(String path, String cookies) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(world().stack.baseUrl + path)).GET();
        if (cookies != null) {
            request.header("Cookie", cookies);
        }
        return send(request.build());
    }

    static HttpResponse<String> post(String path, String cookies, String form) {
        return send(HttpRequest.newBuilder(URI.create(world().stack.baseUrl + path)).header("Cookie", cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
