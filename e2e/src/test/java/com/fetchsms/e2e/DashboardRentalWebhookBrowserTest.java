package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.restassured.path.json.JsonPath;

/**
 * A customer's rental and webhook endpoint in the dashboard, in a real browser (headless Chromium, {@link Browser}),
 * on the real stack: the customer (signed up and topped up through the API) signs in, rents a pristine number of an
 * area code for 7 days on {@code /app/rentals}, and watches the two SMS the modem gateway reports appear on the
 * rental's page by themselves; then adds a webhook endpoint (the test's receiver), whose secret is shown once, sends
 * a test from the endpoint's page, and finds the signed ping delivered in the page's log. Screenshots:
 * {@code e2e/target/screenshots/DashboardRentalWebhookBrowserTest-*.png}.
 */
@Order(39)
class DashboardRentalWebhookBrowserTest extends E2eTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    /** An area code no other scenario stocks: the rental takes one of these numbers. */
    static final String AREA_CODE = "602";
    static final long DEPOSIT = 2000;
    /** Unlimited Services for 7 days ($6.00) and 10 ¢ for choosing the area code. */
    static final long PRICE = 610;
    static final Pattern RENTAL_PAGE = Pattern.compile("/app/rentals/([0-9a-f-]{36})");
    static final Pattern ENDPOINT_PAGE = Pattern.compile("/app/webhooks/([0-9a-f-]{36})");

    static List<String> numbers;
    static Customer renter;
    static WebhookReceiver hooks;
    static String rentalId;

    @BeforeAll
    static void stockNumbersAndSignUpTheCustomer() {
        numbers = world().newNumbers(AREA_CODE, 2);
        world().importNumbers(world().modemA, numbers);
        renter = world().newCustomer("browser-renter", DEPOSIT);
        hooks = webhookReceiver();
        Poll.until("area code " + AREA_CODE + " on sale for rentals", ASYNC,
                () -> World.anonymous().queryParam("mode", "long").get("/services/area-codes"),
                r -> r.statusCode() == 200 && r.jsonPath().getList("$").contains(AREA_CODE));
    }

    @Test
    @Order(1)
    void aCustomerRentsANumberInTheBrowserAndItsSmsAppearOnThePageWithoutReloading() {
        browser.visit("/app/signin?next=/app/rentals", "signin");
        browser.type("#email", renter.email);
        browser.type("#password", renter.password);
        browser.submit("Sign in", "rentals");
        assertEquals("/app/rentals", browser.path(), "back to the page asked for");

        // Rent for 7 days in the area code
        new Select(browser.find("select#days")).selectByValue("7");
        browser.type("#area_code", AREA_CODE);
        browser.submit("Rent number", "rental-waiting");
        Matcher page = RENTAL_PAGE.matcher(browser.path());
        assertTrue(page.matches(), "the rental's page: " + browser.path());
        rentalId = page.group(1);
        String number = browser.text("#number");
        assertTrue(number.matches("\\(602\\) 555-\\d{4}"), number);
        assertTrue(numbers.contains(World.e164(number)), number + " is one of " + numbers);
        assertEquals("waiting", browser.text("#status"));
        assertTrue(browser.find("#no-messages").isDisplayed(), "no SMS yet");
        assertFalse(browser.present("#messages"));
        renter.withKey().get("/rentals/{id}", rentalId).then().statusCode(200).body("number", equalTo(number))
                .body("duration_days", equalTo(7)).body("status", equalTo("waiting"))
                .body("cost_cents", equalTo((int) PRICE));
        assertEquals(DEPOSIT - PRICE, renter.balance(), "charged up front");

        // The modem gateway reports two SMS; both show up on the page by themselves
        browser.takeLiveFailures(); // only this page's connection counts below
        browser.awaitLive(Browser.PAGE);
        String mark = UUID.randomUUID().toString();
        browser.mark(mark);
        String whatsapp = code(3) + "-" + code(3);
        String whatsappText = "Your WhatsApp code: " + whatsapp + ". Don't share this code with others";
        String parcelText = "Your parcel is out for delivery today. Track it in the app."; // no code in it
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        world().deliverSms(number, "WhatsApp", whatsappText, t0.toString());
        world().deliverSms(number, "FedEx", parcelText, t0.plusSeconds(1).toString());
        try {
            browser.waitFor("both SMS on the rental's page, without reloading", ASYNC,
                    d -> browser.all("#messages li.message").size() == 2);
        } catch (TimeoutException e) {
            throw new AssertionError("The two SMS never both appeared on the rental's page (the API lists "
                    + renter.withKey().get("/rentals/{id}/messages", rentalId).asString() + "); the page's live"
                    + " connection: " + browser.takeLiveFailures(), e);
        }
        assertTrue(browser.marked(mark), "the same page: not reloaded, not left");
        assertEquals("/app/rentals/" + rentalId, browser.path());
        assertEquals(List.of(parcelText, whatsappText),
                browser.all("#messages li.message .message-body").stream().map(WebElement::getText).toList(),
                "newest first");
        List<WebElement> shown = browser.all("#messages li.message");
        assertTrue(shown.get(0).getText().startsWith("FedEx"), shown.get(0).getText());
        assertTrue(shown.get(1).getText().startsWith("WhatsApp"), shown.get(1).getText());
        assertTrue(shown.get(1).findElement(By.cssSelector(".message-head")).getText().contains("code " + whatsapp),
                shown.get(1).getText());
        assertFalse(browser.present("#no-messages"));
        browser.waitFor("the status to say active", d -> "active".equals(browser.text("#status")));
        assertEquals(whatsapp, browser.text("#last-code"), "the newest code of the term");
        browser.screenshot("rental-two-messages");
        browser.assertConsoleClean("the SMS's arrival");
        assertEquals(List.of(), browser.takeLiveFailures(), "the page's live connection held");

        JsonPath messages = renter.withKey().get("/rentals/{id}/messages", rentalId).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(parcelText, whatsappText), messages.getList("body"));
        assertEquals(DEPOSIT - PRICE, renter.balance(), "charged once");

        // The list of rentals shows it, and the rental's page reads on a phone
        browser.visit("/app/rentals", "rentals-active");
        WebElement row = browser.driver()
                .findElement(By.xpath("//div[@id='rental-list']//tr[.//a[@href='/app/rentals/" + rentalId + "']]"));
        assertTrue(row.getText().contains(number) && row.getText().contains("active")
                && row.getText().contains(whatsapp), row.getText());
        browser.asPhone(() -> {
            browser.visit("/app/rentals/" + rentalId, "rental-phone");
            assertTrue(browser.find("#number").isDisplayed());
            assertEquals(2, browser.all("#messages li.message").size());
        });
    }

    @Test
    @Order(2)
    void aWebhookEndpointAddedInTheBrowserShowsItsSecretOnceAndItsTestPingArrivesSignedAndIsLoggedDelivered() {
        browser.visit("/app/webhooks", "webhooks");
        browser.type("#url", hooks.url());
        browser.submit("Add endpoint", "webhook-added");
        String secret = browser.text("#new-secret");
        assertTrue(secret.startsWith("whsec_") && secret.length() > "whsec_".length(), secret);
        String open = browser.driver().findElement(By.linkText("Open the endpoint")).getAttribute("href");
        Matcher link = ENDPOINT_PAGE.matcher(open.substring(open.indexOf("/app/")));
        assertTrue(link.matches(), open);
        String webhookId = link.group(1);
        assertTrue(browser.text("#endpoints").contains(hooks.url()), browser.text("#endpoints"));
        renter.withSession().get("/webhooks").then().statusCode(200).body("id", hasItem(webhookId))
                .body("find { it.id == '" + webhookId + "' }.url", equalTo(hooks.url()))
                .body("find { it.id == '" + webhookId + "' }.events", equalTo(List.of("sms.received",
                        "rental.expired")));

        browser.visit("/app/webhooks", "webhooks-again");
        assertFalse(browser.present("#new-secret"), "the secret is shown only once");
        assertFalse(browser.driver().getPageSource().contains(secret), "nowhere on the page");

        // The endpoint's page: send a test
        browser.visit("/app/webhooks/" + webhookId, "webhook-endpoint");
        assertEquals(hooks.url(), browser.text("#endpoint-url"));
        assertFalse(browser.present("#deliveries"), "nothing delivered yet");
        browser.submit("Send a test", "webhook-test-sent");
        assertTrue(browser.text("p.notice").contains("A signed ping is on its way"), browser.text("p.notice"));

        WebhookReceiver.Delivery ping = hooks.await("the test ping", ASYNC, d -> "ping".equals(d.event()));
        assertTrue(ping.signedWith(secret), "X-FetchSMS-Signature = hex HMAC-SHA256(raw body, the secret shown)");
        assertFalse(ping.signedWith(secret + "x"), "and not with another secret");
        assertEquals("ping", ping.json().getString("event"));
        assertEquals(webhookId, ping.json().getString("data.webhook_id"));
        assertNotNull(ping.deliveryId(), "X-FetchSMS-Delivery");

        // Once the platform has recorded the delivery, a refresh of the page shows it delivered
        Poll.until("the ping recorded as delivered", ASYNC,
                () -> renter.withSession().get("/webhooks/{id}/deliveries", webhookId),
                r -> r.statusCode() == 200
                        && "delivered".equals(r.jsonPath().getString("find { it.event == 'ping' }.status")));
        String refresh = browser.driver().findElement(By.linkText("Refresh")).getAttribute("href");
        assertTrue(refresh.endsWith("/app/webhooks/" + webhookId), refresh);
        browser.visit("/app/webhooks/" + webhookId, "webhook-ping-delivered");
        List<WebElement> rows = browser.all("#deliveries tbody tr").stream()
                .filter(r -> r.findElements(By.cssSelector("td")).get(1).getText().trim().equals("ping")).toList();
        assertEquals(1, rows.size(), "one ping: " + browser.text("#deliveries"));
        List<String> cells = rows.get(0).findElements(By.cssSelector("td")).stream().map(c -> c.getText().trim())
                .toList();
        assertEquals("ping", cells.get(1), cells.toString());
        assertEquals("delivered", cells.get(2), cells.toString());
        assertEquals("1", cells.get(3), "one attempt: " + cells);
        assertEquals("HTTP 204", cells.get(4), "the receiver's answer: " + cells);
        assertEquals("delivery-delivered", rows.get(0).getAttribute("class"));
        Map<String, Object> delivery = renter.withSession().get("/webhooks/{id}/deliveries", webhookId).then()
                .statusCode(200).extract().jsonPath().getMap("find { it.event == 'ping' }");
        assertEquals(204, delivery.get("last_status_code"));
        assertEquals(1, delivery.get("attempts"));
    }
}
