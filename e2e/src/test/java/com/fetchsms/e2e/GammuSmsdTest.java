package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fetchsms.e2e.GammuModem.Sms;

import io.restassured.path.json.JsonPath;

/**
 * The real Gammu SMSD (Debian's {@code gammu-smsd}, dummy phone driver, C locale) with the project's RunOnReceive
 * script, configured as documented, in front of the real stack: what a customer renting the modem's number sees for
 * the cases that used to lose or corrupt codes. Modem 1 reports straight to the gateway; modem 2 through a relay the
 * test takes down and brings back.
 */
@Order(60)
class GammuSmsdTest extends E2eTest {

    static Customer renter;
    static String number1;
    static String number2;
    static String rental1;
    static String rental2;
    static GatewayRelay relay;
    static GammuModem modem1;
    static GammuModem modem2;
    static long balance;

    @BeforeAll
    static void startModems() {
        ModemSoftware.require("GammuSmsdTest", ModemSoftware.GAMMU_SMSD);
        World world = world();
        renter = world.newCustomer("gammu", 1000);
        number1 = world.newNumbers("471", 1).get(0);
        number2 = world.newNumbers("472", 1).get(0);
        world.importNumbers(world.modemA, List.of(number1, number2));
        rental1 = rent("471");
        rental2 = rent("472");
        balance = renter.balance();
        assertEquals(1000 - 2 * 310, balance, "two 1-day rentals with an area code: 310 cents each");

        Path root = world.stack.root;
        Path dir = world.stack.stateDir.resolve("gammu");
        relay = new GatewayRelay(world.stack.baseUrl).up();
        modem1 = GammuModem.start(root, dir.resolve("modem-1"), "e2e-modem-1", number1, world.stack.baseUrl,
                world.modemA.token());
        modem2 = GammuModem.start(root, dir.resolve("modem-2"), "e2e-modem-2", number2, relay.url(),
                world.modemA.token());
    }

    @AfterAll
    static void stopModems() {
        if (modem1 != null) {
            modem1.close();
        }
        if (modem2 != null) {
            modem2.close();
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

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    static String lostPartFirst;
    static String lateWhole;
    static String lateCode;

    @Test
    @Order(1)
    void aPartThatIsLostReleasesNothingAndAPartThatComesLateCompletesItsMessage() {
        // A: a two-part SMS whose second part never arrives; its code is split across the parts
        String lostCode = code(5);
        lostPartFirst = "Telegram code: " + lostCode.substring(0, 3);
        modem1.receive(Sms.part("Telegram", now(), 0x21, 2, 1, lostPartFirst));
        modem1.awaitAcknowledged(1); // Gammu gave up waiting for part 2 and ran the script with part 1 alone

        // B: a two-part SMS whose first part arrives after Gammu's MultipartTimeout
        lateCode = code(5);
        String first = "Telegram code: " + lateCode.substring(0, 3);
        String second = lateCode.substring(3) + ". Do not give this code to anyone, even if they say they are from"
                + " Telegram!";
        lateWhole = first + second;
        modem1.receive(Sms.part("Telegram", now(), 0x22, 2, 2, second));
        modem1.awaitAcknowledged(2);
        modem1.receive(Sms.part("Telegram", now(), 0x22, 2, 1, first));
        modem1.awaitAcknowledged(3);
        assertEquals(3, modem1.inboxFiles().size(), "Gammu handed over three separate inbox files");

        JsonPath messages = awaitMessage(rental1, lateWhole);
        assertEquals(List.of(lateWhole), messages.getList("body"), "one message: B whole, nothing of A");
        assertEquals(lateCode, messages.getString("[0].code"));
    }

    static String cyrillic;
    static String cyrillicCode;
    static String arabic;
    static String arabicCode;

    @Test
    @Order(2)
    void ucs2TextsArriveExactlyUnderTheCLocaleEvenWithAnEmojiSplitAcrossParts() {
        cyrillicCode = code(6);
        cyrillic = "Ваш код Telegram: " + cyrillicCode + " \uD83D\uDE00 Никому не сообщайте этот код, даже если"
                + " вас просят об этом от имени Telegram. Это сообщение длиннее одной части.";
        int split = cyrillic.indexOf('\uDE00'); // part 1 ends with the emoji's high surrogate, part 2 starts low
        Instant sent = now();
        modem1.receive(Sms.part("Telegram", sent, 0x23, 2, 1, cyrillic.substring(0, split)),
                Sms.part("Telegram", sent, 0x23, 2, 2, cyrillic.substring(split)));
        modem1.awaitAcknowledged(5);
        arabicCode = code(5);
        arabic = "رمز Telegram الخاص بك هو " + arabicCode + " لا تشاركه مع أحد";
        modem1.receive(Sms.single("Telegram", now(), arabic));
        modem1.awaitAcknowledged(6);

        JsonPath messages = awaitMessage(rental1, arabic);
        assertEquals(List.of(arabic, cyrillic, lateWhole), messages.getList("body"));
        assertEquals(List.of(arabicCode, cyrillicCode, lateCode), messages.getList("code"));
    }

    @Test
    @Order(3)
    void theSameSmsDeliveredTwiceIsOneMessageAndTheRentalIsChargedOnce() {
        String code = code(6);
        String text = "Your WhatsApp code: " + code.substring(0, 3) + "-" + code.substring(3)
                + ". Don't share this code with others";
        Sms twice = Sms.single("WhatsApp", now(), text);
        modem1.receive(twice, twice);
        modem1.awaitAcknowledged(8);
        // a later SMS as the marker: once it is listed, the copy would have been too
        String marker = "Your parcel is out for delivery today.";
        modem1.receive(Sms.single("FedEx", now(), marker));
        modem1.awaitAcknowledged(9);

        JsonPath messages = awaitMessage(rental1, marker);
        assertEquals(List.of(marker, text, arabic, cyrillic, lateWhole), messages.getList("body"),
                "one message per SMS, the lost-part SMS never");
        assertEquals(code.substring(0, 3) + "-" + code.substring(3), messages.getString("[1].code"));
        assertTrue(messages.getList("body").stream().noneMatch(b -> String.valueOf(b).equals(lostPartFirst)));
        renter.withKey().get("/rentals/{id}", rental1).then().statusCode(200).body("status", equalTo("active"))
                .body("last_code", equalTo(code.substring(0, 3) + "-" + code.substring(3)));
        assertEquals(balance, renter.balance(), "a rental is charged once, when it is bought");
    }

    @Test
    @Order(4)
    void twoModemsReceivingFromTheSameSenderInTheSameSecondDeliverBoth() {
        String code1 = code(5);
        String code2 = code(5);
        String text1 = "Telegram code: " + code1 + ". Do not give this code to anyone";
        String text2 = "Telegram code: " + code2 + ". Do not give this code to anyone";
        Instant sent = now();
        long before1 = modem1.acknowledged();
        long before2 = modem2.acknowledged();
        modem1.receive(Sms.single("Telegram", sent, text1));
        modem2.receive(Sms.single("Telegram", sent, text2));
        modem1.awaitAcknowledged(before1 + 1);
        modem2.awaitAcknowledged(before2 + 1);
        List<String> files2 = modem2.inboxFiles();
        assertTrue(modem1.inboxFiles().contains(files2.get(files2.size() - 1)),
                "both modems named their inbox file alike (" + files2 + "): the id must not be the file name alone");

        assertEquals(code1, awaitMessage(rental1, text1).getString("[0].code"));
        JsonPath messages2 = awaitMessage(rental2, text2);
        assertEquals(List.of(text2), messages2.getList("body"));
        assertEquals(code2, messages2.getString("[0].code"));
    }

    @Test
    @Order(5)
    void anSmsThePlatformDidNotAcknowledgeIsKeptAndDeliveredWhenThePlatformIsBack() {
        String code = code(6);
        String text = "G-" + code + " is your Google verification code.";
        long before = modem2.acknowledged();
        relay.down();
        modem2.receive(Sms.single("Google", now(), text));
        Poll.until("the script to find FetchSMS unreachable (connection refused)", ASYNC,
                () -> modem2.scriptLog(), log -> log.contains("not reachable (curl exit 7"));
        assertEquals(1, modem2.spooled().size(), "the SMS waits in the spool");

        relay.failNext(1);
        relay.up();
        Poll.until("the script's retry to be answered 503", ASYNC, () -> relay.failed(), n -> n >= 1);
        modem2.awaitAcknowledged(before + 1); // the script's own background retry delivers it

        JsonPath messages = awaitMessage(rental2, text);
        assertEquals(code, messages.getString("[0].code"));
        assertEquals(2, messages.getList("body").size(), "one message per SMS");
        assertTrue(modem2.scriptLog().contains("answered 503; kept for a retry"), modem2.scriptLog());
        assertEquals(balance, renter.balance(), "charged once");
    }

    @Test
    @Order(6)
    void aSpooledSmsSurvivesARestartOfTheModemsHostAndTheCronFlushDeliversIt() {
        String code = code(6);
        String text = "Your Uber code: " + code + ". Never share this code.";
        long refusals = refusals();
        relay.down();
        modem2.receive(Sms.single("Uber", now(), text));
        Poll.until("the script to find FetchSMS unreachable again", ASYNC, GammuSmsdTest::refusals,
                n -> n > refusals);
        modem2.close(); // the host goes down: gammu-smsd and the retrier are gone, the spool stays
        assertEquals(1, modem2.spooled().size(), "the SMS waits in the spool");

        relay.up();
        assertEquals(0, modem2.cronFlush(), "the cron job's flush posts what the spool holds");
        assertEquals(List.of(), modem2.spooled());
        JsonPath messages = awaitMessage(rental2, text);
        assertEquals(code, messages.getString("[0].code"));
        assertEquals(3, messages.getList("body").size(), "one message per SMS");
        assertEquals(balance, renter.balance(), "charged once");
    }

    static long refusals() {
        return modem2.scriptLog().lines().filter(l -> l.contains("not reachable (curl exit 7")).count();
    }
}
