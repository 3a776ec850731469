package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * The real Kannel (Debian's bearerbox and smsbox, two modems as fake SMSCs fed by kannel-extras' {@code fakesmsc})
 * configured with {@code deploy/kannel/kannel.conf.example}, posting through a relay the test controls to the real
 * stack: what a customer renting the modems' numbers sees. fakesmsc cannot send a UCS-2 part with a concatenation
 * header (its UCS-2 messages have none, its header-carrying ones are 7-bit or 8-bit), so the emoji split across parts
 * is GammuSmsdTest's and sms-ingest-service's own tests' (X-Kannel-UDH with UTF-16BE bodies).
 */
@Order(61)
class KannelTest extends E2eTest {

    static Customer renter;
    static String number1;
    static String number2;
    static String rental1;
    static String rental2;
    static GatewayRelay relay;
    static KannelBoxes kannel;
    static long balance;

    @BeforeAll
    static void startKannel() {
        ModemSoftware.require("KannelTest", ModemSoftware.BEARERBOX, ModemSoftware.SMSBOX, ModemSoftware.FAKESMSC);
        World world = world();
        renter = world.newCustomer("kannel", 1000);
        number1 = world.newNumbers("473", 1).get(0);
        number2 = world.newNumbers("474", 1).get(0);
        world.importNumbers(world.modemB, List.of(number1, number2));
        rental1 = rent("473");
        rental2 = rent("474");
        balance = renter.balance();
        assertEquals(1000 - 2 * 310, balance);
        relay = new GatewayRelay(world.stack.baseUrl).up();
        kannel = new KannelBoxes(world.stack.root, world.stack.stateDir.resolve("kannel"), 2,
                "http://gw:" + world.modemB.token() + "@127.0.0.1:" + relay.port + "/v1/ingest/kannel");
    }

    @AfterAll
    static void stopKannel() {
        if (kannel != null) {
            kannel.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    static String rent(String areaCode) {
        return renter.withKey().body(Map.of("service", 1, "days", 1, "area_code", areaCode)).post("/rentals").then()
                .statusCode(201).body("cost_cents", equalTo(310)).extract().path("id");
    }

    static JsonPath awaitMessage(String rental, String body) {
        return Poll.until("the SMS \"" + body + "\" on rental " + rental, ASYNC,
                () -> renter.withKey().get("/rentals/{id}/messages", rental),
                r -> r.statusCode() == 200 && r.jsonPath().getList("body").contains(body)).jsonPath();
    }

    static void awaitAcknowledged(int requests) {
        try {
            Poll.until(requests + " posts acknowledged by FetchSMS", ASYNC, relay::acknowledged, n -> n >= requests);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nsmsbox's log:\n" + ModemSoftware.tail(kannel.smsboxLog, 20)
                    + "\nbearerbox's log:\n" + ModemSoftware.tail(kannel.bearerboxLog, 20), e);
        }
    }

    static Object[] sms(int modem, String line) {
        return new Object[]{modem, line};
    }

    static String lateWhole;
    static String lateCode;

    @Test
    @Order(1)
    void aPartThatIsLostReleasesNothingAndAPartThatComesLateCompletesItsMessage() {
        String lostCode = code(5);
        kannel.deliver(sms(1, "Telegram " + number1 + " udh-text %05%00%03%31%02%01 Telegram code: "
                + lostCode.substring(0, 3)));
        awaitAcknowledged(1);

        lateCode = code(5);
        String first = "Telegram code: " + lateCode.substring(0, 3);
        String second = lateCode.substring(3) + ". Do not give this code to anyone!";
        lateWhole = first + second;
        kannel.deliver(sms(1, "Telegram " + number1 + " udh-text %05%00%03%32%02%02 " + second));
        awaitAcknowledged(2);
        kannel.deliver(sms(1, "Telegram " + number1 + " udh-text %05%00%03%32%02%01 " + first));
        awaitAcknowledged(3);

        JsonPath messages = awaitMessage(rental1, lateWhole);
        assertEquals(List.of(lateWhole), messages.getList("body"), "one message: the late one whole, nothing else");
        assertEquals(lateCode, messages.getString("[0].code"));
    }

    static String cyrillic;
    static String arabic;

    @Test
    @Order(2)
    void ucs2TextsArriveExactly() {
        String cyrillicCode = code(6);
        cyrillic = "Ваш код Telegram: " + cyrillicCode + " \uD83D\uDE00 никому его не сообщайте";
        kannel.deliver(sms(1, "Telegram " + number1 + " ucs2 " + KannelBoxes.ucs2(cyrillic)));
        awaitAcknowledged(4);
        String arabicCode = code(5);
        arabic = "رمز Telegram الخاص بك هو " + arabicCode;
        kannel.deliver(sms(1, "Telegram " + number1 + " ucs2 " + KannelBoxes.ucs2(arabic)));
        awaitAcknowledged(5);

        JsonPath messages = awaitMessage(rental1, arabic);
        // X-Kannel-Time has whole seconds: two SMS of one second have no order, so compare as sets
        assertEquals(Set.of(arabic, cyrillic, lateWhole), Set.copyOf(messages.getList("body")));
        assertEquals(3, messages.getList("body").size());
        assertEquals(Set.of(arabicCode, cyrillicCode, lateCode), Set.copyOf(messages.getList("code")));
    }

    @Test
    @Order(3)
    void theSameSmsDeliveredTwiceIsOneMessageAndTheRentalIsChargedOnce() {
        String code = code(6);
        String text = "Your WhatsApp code: " + code + ". Don't share this code with others";
        String line = "WhatsApp " + number1 + " text " + text;
        kannel.deliver(sms(1, line));
        kannel.deliver(sms(1, line));
        awaitAcknowledged(7);
        String marker = "Your parcel is out for delivery today.";
        kannel.deliver(sms(1, "FedEx " + number1 + " text " + marker));
        awaitAcknowledged(8);

        JsonPath messages = awaitMessage(rental1, marker);
        assertEquals(Set.of(marker, text, arabic, cyrillic, lateWhole), Set.copyOf(messages.getList("body")),
                "one message per SMS, the lost-part SMS never");
        assertEquals(5, messages.getList("body").size(), "one message per SMS: " + messages.getList("body"));
        assertEquals(code, messages.getList("$", Map.class).stream().filter(m -> text.equals(m.get("body")))
                .findFirst().orElseThrow().get("code"));
        renter.withKey().get("/rentals/{id}", rental1).then().statusCode(200).body("status", equalTo("active"));
        assertEquals(balance, renter.balance(), "a rental is charged once, when it is bought");
    }

    @Test
    @Order(4)
    void twoModemsReceivingFromTheSameSenderInTheSameSecondDeliverBoth() {
        String code1 = code(5);
        String code2 = code(5);
        String text1 = "Telegram code: " + code1 + ". Do not give this code to anyone";
        String text2 = "Telegram code: " + code2 + ". Do not give this code to anyone";
        kannel.deliver(sms(1, "Telegram " + number1 + " text " + text1),
                sms(2, "Telegram " + number2 + " text " + text2));
        assertEquals(code1, awaitMessage(rental1, text1).getString("[0].code"));
        JsonPath messages2 = awaitMessage(rental2, text2);
        assertEquals(List.of(text2), messages2.getList("body"));
        assertEquals(code2, messages2.getString("[0].code"));

        String token = world().modemB.token();
        assertFalse(ModemSoftware.read(kannel.smsboxLog).contains(token), "the token is not in smsbox's log");
        assertFalse(ModemSoftware.read(kannel.bearerboxLog).contains(token), "nor in bearerbox's");
    }

    @Test
    @Order(5)
    void anSmsThePlatformDidNotAcknowledgeIsRetriedUntilThePlatformIsBack() {
        String code = code(6);
        String text = "G-" + code + " is your Google verification code.";
        relay.down();
        kannel.deliver(sms(2, "Google " + number2 + " text " + text));
        Poll.until("smsbox to find FetchSMS unreachable", ASYNC, () -> ModemSoftware.read(kannel.smsboxLog),
                log -> log.contains("Couldn't fetch"));
        relay.failNext(1);
        relay.up();
        Poll.until("smsbox's retry to be answered 503", Duration.ofSeconds(30), relay::failed, n -> n >= 1);

        JsonPath messages = awaitMessage(rental2, text);
        assertEquals(code, messages.getString("[0].code"));
        assertEquals(2, messages.getList("body").size(), "one message per SMS");
        assertEquals(balance, renter.balance(), "charged once");
    }
}
