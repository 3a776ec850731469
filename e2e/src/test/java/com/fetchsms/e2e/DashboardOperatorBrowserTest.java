package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The operator's pages in a real browser (headless Chromium, {@link Browser}), on the real stack: the first
 * administrator (the stack's {@code FETCHSMS_ADMIN_EMAIL}/{@code _PASSWORD}) signs in, registers a modem gateway (its
 * token and signing key shown once; the token is then accepted for the gateway's numbers), imports numbers for it from
 * a CSV file (a header, three good lines and a bad one, reported with its line number), credits a customer's account
 * with a reason, and answers a customer's support ticket. Screenshots:
 * {@code e2e/target/screenshots/DashboardOperatorBrowserTest-*.png}.
 */
@Order(41)
class DashboardOperatorBrowserTest extends E2eTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    /** An area code no other scenario stocks: the imported numbers are the only ones. */
    static final String AREA_CODE = "503";
    static final long DEPOSIT = 1000;
    static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static Customer customer;
    static String gatewayName;
    static String gatewayId;
    static String gatewayToken;
    /** The numbers the CSV file imported (E.164). */
    static final List<String> imported = new ArrayList<>();

    @BeforeAll
    static void signUpACustomer() {
        customer = world().newCustomer("operator-sees", DEPOSIT);
    }

    /**
     * The numbers of the area code (those the CSV file imported) are retired after the class: the suite delivers SMS
     * only to numbers whose gateway it knows ({@link World#deliverSms}), and a later scenario buying without an area
     * code must not be given one of these.
     */
    @AfterAll
    static void retireTheImportedNumbers() {
        List<String> stocked = world().admin().queryParam("area_code", AREA_CODE).get("/admin/numbers").then()
                .statusCode(200).extract().jsonPath().getList("number");
        for (String number : stocked) {
            world().admin().delete("/admin/numbers/{number}", number).then().statusCode(204);
        }
    }

    @Test
    @Order(1)
    void theFirstAdministratorSignsInAndRegistersAModemGatewayWhoseCredentialsAreShownOnce() {
        browser.visit("/app/signin", "signin");
        browser.type("#email", world().stack.adminEmail);
        browser.type("#password", world().stack.adminPassword);
        browser.submit("Sign in", "signed-in");
        assertEquals("/app/verifications", browser.path());
        WebElement operators = browser.driver().findElement(By.linkText("Operators"));
        assertTrue(operators.getAttribute("href").endsWith("/app/admin/gateways"), operators.getAttribute("href"));

        browser.visit("/app/admin/gateways", "gateways");
        gatewayName = "browser rack " + RUN;
        browser.type("#gateway-name", gatewayName);
        browser.submit("Register", "gateway-registered");
        gatewayId = browser.text("#gateway-id");
        gatewayToken = browser.text("#gateway-token");
        String signingKey = browser.text("#gateway-signing-key");
        assertTrue(UUID_PATTERN.matcher(gatewayId).matches(), gatewayId);
        assertTrue(gatewayToken.startsWith("fgw_") && gatewayToken.length() > 20, gatewayToken);
        assertTrue(signingKey.length() >= 16 && !signingKey.equals(gatewayToken), signingKey);
        assertTrue(browser.text("#creds-title").contains(gatewayName), browser.text("#creds-title"));

        JsonPath listed = world().admin().get("/admin/gateways").then().statusCode(200).extract().jsonPath();
        String self = "find { it.id == '" + gatewayId + "' }";
        assertEquals(gatewayName, listed.getString(self + ".name"));
        assertEquals(0, listed.getInt(self + ".numbers"));
        String tokenPrefix = listed.getString(self + ".token_prefix");
        assertTrue(gatewayToken.startsWith(tokenPrefix), tokenPrefix + " begins " + gatewayToken);
        WebElement row = gatewayRow();
        assertEquals(tokenPrefix + "…", row.findElement(By.cssSelector("td.mono")).getText());

        // Shown only once
        browser.visit("/app/admin/gateways", "gateways-again");
        assertFalse(browser.present("#gateway-token"), "the token is shown only once");
        assertFalse(browser.present("#gateway-signing-key"), "the signing key too");
        String source = browser.driver().getPageSource();
        assertFalse(source.contains(gatewayToken), "the token is nowhere on the page");
        assertFalse(source.contains(signingKey), "nor the signing key");
        assertTrue(gatewayRow().getText().contains("never"), "not seen yet: " + gatewayRow().getText());

        // The token is a gateway's: known (403 on another gateway's number), where a made-up one is 401
        assertError(World.postSms(gatewayToken, world().modemBNumber, "Acme", "Your Acme code is 1234", null), 403);
        assertError(World.postSms("fgw_" + RUN + "madeup", world().modemBNumber, "Acme", "Your Acme code is 1234",
                null), 401);
    }

    @Test
    @Order(2)
    void numbersImportedFromACsvFileAreAddedAndTheBadLineIsReportedWithItsLineNumber() throws IOException {
        List<String> numbers = world().newNumbers(AREA_CODE, 3);
        String bad = "555-0199"; // seven digits: not a US number
        String csv = "number,label\r\n"
                + numbers.get(0) + ",rack 1 slot 1\r\n"
                + "\"" + display(numbers.get(1)) + "\",rack 1 slot 2\r\n"
                + bad + ",broken modem\r\n"
                + numbers.get(2).substring(2) + ",rack 1 slot 3\r\n";
        Path file = Files.createTempFile("fetchsms-numbers-", ".csv");
        file.toFile().deleteOnExit();
        Files.writeString(file, csv, StandardCharsets.UTF_8);

        browser.visit("/app/admin/numbers", "numbers");
        new Select(browser.find("select#gateway_id")).selectByValue(gatewayId);
        browser.find("#file").sendKeys(file.toAbsolutePath().toString());
        browser.submit("Import", "numbers-imported");

        String report = browser.text("#import-report");
        assertTrue(report.startsWith("3 added, 0 already known, 1 not imported."), report);
        List<WebElement> rejected = browser.all("#import-rejected tbody tr");
        assertEquals(1, rejected.size(), "exactly the bad line: " + browser.text("#import-rejected"));
        List<String> cells = rejected.get(0).findElements(By.cssSelector("td")).stream().map(WebElement::getText)
                .map(String::trim).toList();
        assertEquals(List.of("file line 4", bad, "not a US phone number"), cells, "where, what and why");

        // In the inventory: the API, then the page filtered by the area code
        JsonPath inventory = world().admin().queryParam("area_code", AREA_CODE).get("/admin/numbers").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(numbers, inventory.getList("number"), "exactly the three numbers of the file");
        assertEquals(List.of(gatewayId, gatewayId, gatewayId), inventory.getList("gateway_id"));
        assertEquals(List.of(true, true, true), inventory.getList("pristine"));
        imported.addAll(numbers);
        browser.type("#filter-area", AREA_CODE);
        browser.submit("Show", "inventory-503");
        assertEquals("/app/admin/numbers?area_code=" + AREA_CODE, browser.path());
        List<String> shown = browser.all("#inventory tbody tr th").stream().map(WebElement::getText)
                .map(String::trim).toList();
        assertEquals(numbers.stream().map(DashboardOperatorBrowserTest::display).toList(), shown);
        for (WebElement row : browser.all("#inventory tbody tr")) {
            assertTrue(row.getText().contains("available") && row.getText().contains("yes"), row.getText());
        }
    }

    @Test
    @Order(3)
    void theNewGatewaysTokenIsAcceptedForItsImportedNumbers() {
        assertFalse(imported.isEmpty(), "the numbers of the CSV import (the test before) are in the inventory");
        String number = imported.get(0);
        // sms-ingest-service learns from the inventory topic that the number is this gateway's: 403 until then
        Response answer = Poll.until("sms-ingest-service to accept an SMS to " + number + " from the new gateway",
                Duration.ofSeconds(30),
                () -> World.postSms(gatewayToken, number, "Acme", "Your Acme code is " + code(6), null),
                r -> r.statusCode() != 403);
        answer.then().statusCode(202).body("outcome", equalTo("accepted")).body("duplicate", equalTo(false));

        Poll.until("the report in the gateway's log", ASYNC,
                () -> world().admin().get("/admin/gateways/{id}/messages", gatewayId),
                r -> r.statusCode() == 200 && r.jsonPath().getList("to").contains(number));
        browser.visit("/app/admin/gateways", "gateways-after-import");
        List<String> cells = gatewayRow().findElements(By.cssSelector("td")).stream().map(WebElement::getText)
                .map(String::trim).toList();
        assertEquals("3", cells.get(2), "three numbers: " + cells);
        assertNotEquals("never", cells.get(1), "seen now: " + cells);
        browser.visit(path(gatewayRow().findElement(By.cssSelector("th a")).getAttribute("href")),
                "gateway-messages");
        assertEquals("/app/admin/gateways/" + gatewayId, browser.path());
        // (the reports refused with 403 while sms-ingest-service had not learnt the number yet are listed too)
        List<WebElement> accepted = browser.all("#gateway-messages tbody tr").stream()
                .filter(r -> r.getText().contains(display(number)) && r.getText().contains("accepted")).toList();
        assertEquals(1, accepted.size(), browser.text("#gateway-messages"));
        assertTrue(accepted.get(0).getText().contains("Acme"), accepted.get(0).getText());
    }

    @Test
    @Order(4)
    void anOperatorCreditsAnAccountWithAReasonAndTheCustomerSeesTheMoney() {
        long before = customer.balance();
        assertEquals(DEPOSIT, before);
        String reason = "Goodwill for ticket " + RUN;

        browser.visit("/app/admin/accounts", "accounts");
        browser.type("#search-email", customer.email);
        browser.submit("Search", "accounts-found");
        List<WebElement> found = browser.all("#accounts tbody tr").stream()
                .filter(r -> r.findElement(By.cssSelector("th")).getText().trim().equals(customer.email)).toList();
        assertEquals(1, found.size(), browser.text("#accounts"));
        assertTrue(found.get(0).getText().contains("$10.00"), "the balance in the list: " + found.get(0).getText());
        browser.visit(path(found.get(0).findElement(By.cssSelector("th a")).getAttribute("href")), "account");
        String accountPage = browser.path();
        assertTrue(accountPage.startsWith("/app/admin/accounts/" + customer.id + "?"), accountPage);
        assertEquals(customer.email, browser.text("h1"));
        assertEquals("$10.00", browser.text("#account-balance"));

        assertTrue(browser.find("input[name=direction][value=credit]").isSelected(), "credit by default");
        browser.type("#adjust-amount", "5.00");
        browser.type("#adjust-reason", reason);
        browser.submit("Apply", "account-credited");
        assertEquals("Credited $5.00.", browser.text("#adjust-result"));
        assertEquals("$15.00", browser.text("#account-balance"));
        List<WebElement> adjustments = browser.all("#account-ledger tr.entry-adjustment");
        assertEquals(1, adjustments.size(), browser.text("#account-ledger"));
        assertEquals("$5.00", adjustments.get(0).findElement(By.cssSelector("td.amount")).getText());
        assertTrue(adjustments.get(0).getText().contains(reason), adjustments.get(0).getText());

        // The customer's side: the balance went up by 500 cents, the ledger holds the adjustment
        assertEquals(before + 500, customer.balance());
        List<Customer.LedgerItem> credits = customer.ledger().stream().filter(i -> i.type().equals("adjustment"))
                .toList();
        assertEquals(1, credits.size(), credits.toString());
        assertEquals(500, credits.get(0).amountCents());
        assertEquals(before + 500, credits.get(0).balanceAfterCents());
        world().admin().get("/admin/accounts/{id}/ledger", customer.id).then().statusCode(200)
                .body("[0].type", equalTo("adjustment")).body("[0].amount_cents", equalTo(500))
                .body("[0].reason", equalTo(reason));

        browser.asPhone(() -> {
            browser.visit(accountPage, "account-phone");
            assertTrue(browser.find("#adjust-amount").isDisplayed(), "the form on a phone's screen");
            assertTrue(browser.text("#account-ledger").contains(reason));
        });
    }

    @Test
    @Order(6)
    void theServicesPlatformHealthAndANumbersHealthPagesShowWhatTheApiAndTheMetricsSay() {
        browser.visit("/app/admin/services", "services");
        List<String> services = browser.all("#admin-services tbody tr th").stream().map(WebElement::getText)
                .map(String::trim).toList();
        List<String> catalog = World.anonymous().get("/services").then().statusCode(200).extract().jsonPath()
                .getList("slug");
        assertTrue(services.containsAll(catalog), services + " lists every service of the catalog " + catalog);

        browser.visit("/app/admin/health", "health");
        // deploy/local/up gives the dashboard every service's management address: each is read and ready
        browser.waitFor("every service on the health page, ready, its metrics read", Duration.ofSeconds(75), d -> {
            List<WebElement> rows = browser.all("#service-health tbody tr");
            return rows.size() == 6 && rows.stream().allMatch(r -> r.getText().contains("ready")
                    && !r.getText().contains("not ready") && !r.getText().contains("no metrics"));
        });
        List<String> processes = browser.all("#service-health tbody tr th").stream().map(WebElement::getText)
                .map(String::trim).toList();
        assertEquals(List.of("catalog", "rental", "sms-ingest", "verification", "wallet", "webhook"), processes,
                "every service of deploy/local/up but the dashboard itself, by the name it has there");
        browser.screenshot("health-ready");

        String number = imported.get(0);
        browser.visit("/app/admin/numbers/" + number, "number-health");
        assertEquals(display(number), browser.text("h1"));
        assertTrue(browser.text("main").contains("Not reserved for any service yet."), browser.text("main"));
    }

    @Test
    @Order(5)
    void anOperatorAnswersASupportTicketFromTheQueueAndTheCustomerSeesTheAnswer() {
        String subject = "Rental number silent " + RUN;
        String question = "My rented number has not received the SMS from my bank since this morning. Can you check?";
        String answer = "We checked the modem: it was restarted at noon and receives again. Sorry for the wait!";
        Response opened = customer.withSession().body(Map.of("subject", subject, "body", question))
                .post("/support/tickets");
        if (opened.statusCode() == 404) {
            fail("POST /v1/support/tickets answered 404 " + opened.asString() + ": the support API is not in this"
                    + " stack yet (wallet-service's support tickets, routed by the gateway), so the operator's"
                    + " support queue cannot be tested");
        }
        JsonPath ticket = opened.then().statusCode(201).body("subject", equalTo(subject))
                .body("status", equalTo("open")).body("account_id", equalTo(customer.id))
                .body("email", equalTo(customer.email)).body("messages.author", equalTo(List.of("customer")))
                .body("messages.body", equalTo(List.of(question))).extract().jsonPath();
        String id = ticket.getString("id");

        browser.visit("/app/admin/support", "support-queue");
        List<WebElement> rows = browser.all("#support-queue tbody tr").stream()
                .filter(r -> r.findElement(By.cssSelector("th")).getText().trim().equals(subject)).toList();
        assertEquals(1, rows.size(), "the ticket waits in the queue: " + browser.text("#support-queue"));
        assertTrue(rows.get(0).getText().contains(customer.email), rows.get(0).getText());
        browser.visit(path(rows.get(0).findElement(By.cssSelector("th a")).getAttribute("href")), "support-ticket");
        assertEquals("/app/admin/support/" + id, browser.path());
        assertEquals(subject, browser.text("h1"));
        assertEquals("open", browser.text("#ticket-status"));
        assertEquals(List.of(question), messageBodies());

        browser.type("#answer", answer);
        browser.submit("Send answer", "support-ticket-answered");
        assertEquals("/app/admin/support/" + id, browser.path(), "back on the ticket");
        assertEquals("answered", browser.text("#ticket-status"));
        assertEquals(List.of(question, answer), messageBodies());
        List<WebElement> fromUs = browser.all("#thread li.from-operator");
        assertEquals(1, fromUs.size());
        assertEquals(answer, fromUs.get(0).findElement(By.cssSelector(".message-body")).getText());

        // The customer's side
        JsonPath seen = customer.withSession().get("/support/tickets/{id}", id).then().statusCode(200)
                .body("status", equalTo("answered")).extract().jsonPath();
        assertEquals(List.of("customer", "operator"), seen.getList("messages.author"));
        assertEquals(List.of(question, answer), seen.getList("messages.body"));

        browser.visit("/app/admin/support?status=answered", "support-answered");
        assertTrue(browser.text("#support-queue").contains(subject), browser.text("#support-queue"));
        browser.visit("/app/admin/support", "support-queue-after");
        assertFalse(browser.present("#support-queue") && browser.text("#support-queue").contains(subject),
                "no longer waiting for us");
    }

    // ---------------------------------------------------------------- helpers

    /** The row of the registered gateway in {@code #gateways}. */
    static WebElement gatewayRow() {
        return browser.driver().findElement(
                By.xpath("//table[@id='gateways']//tr[th/a[@href='/app/admin/gateways/" + gatewayId + "']]"));
    }

    static List<String> messageBodies() {
        return browser.all("#thread li .message-body").stream().map(WebElement::getText).toList();
    }

    /** {@code +15035550142} → {@code (503) 555-0142}, as the pages show numbers. */
    static String display(String e164) {
        String digits = e164.substring(2);
        return "(" + digits.substring(0, 3) + ") " + digits.substring(3, 6) + "-" + digits.substring(6);
    }

    /** The path and query of a link's absolute {@code href}. */
    static String path(String href) {
        Matcher m = Pattern.compile("^https?://[^/]+(/.*)$").matcher(href);
        assertTrue(m.matches(), "an absolute link: " + href);
        return m.group(1);
    }
}
