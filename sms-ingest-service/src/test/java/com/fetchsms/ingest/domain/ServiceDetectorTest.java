package com.fetchsms.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which service an SMS is for: sender first, then the earliest keyword; ambiguity resolved deterministically. */
class ServiceDetectorTest {

    private static final ServiceDetector DETECTOR = new ServiceDetector(ServiceRules.defaults());

    private static Optional<String> detect(String sender, String text) {
        return DETECTOR.detect(sender, text).map(ServiceRule::slug);
    }

    @Test
    void aKnownSenderDecidesEvenWhenTheTextNamesAnotherService() {
        assertEquals(Optional.of("google"), detect("22000", "G-482913 is your code. Also works for WhatsApp."));
        assertEquals(Optional.of("paypal"), detect("729725", "Your Venmo and PayPal code is 482913"));
    }

    @Test
    void alphanumericSendersCompareIgnoringCaseAndPunctuation() {
        assertEquals(Optional.of("whatsapp"), detect("WHATSAPP", "Your code: 123-456"));
        assertEquals(Optional.of("whatsapp"), detect("Whats-App", "Your code: 123-456"));
        assertEquals(Optional.of("cashapp"), detect("CASHAPP", "Your sign-in code is 123-456"));
    }

    @Test
    void phoneNumberSendersMatchInNationalAndInternationalForm() {
        ServiceDetector detector = new ServiceDetector(
                List.of(new ServiceRule("acme", "Acme", List.of("+1 (415) 555-0100", "55123"), List.of("acme"))));
        assertEquals("acme", detector.detect("+14155550100", "code 1234").orElseThrow().slug());
        assertEquals("acme", detector.detect("4155550100", "code 1234").orElseThrow().slug());
        assertEquals("acme", detector.detect("001 415 555 0100", "code 1234").orElseThrow().slug());
        assertEquals("acme", detector.detect("55123", "code 1234").orElseThrow().slug());
        assertEquals(Optional.empty(), detector.detect("155123", "code 1234"), "short codes match exactly");
        assertEquals(Optional.empty(), detector.detect("+14155550101", "code 1234"));
    }

    @Test
    void aSenderSharedByServicesIsDisambiguatedByTheText() {
        assertEquals(Optional.of("instagram"), detect("32665", "Use 482 913 to verify your Instagram account."));
        assertEquals(Optional.of("facebook"), detect("32665", "FB-48291 is your Facebook confirmation code"));
        assertEquals(Optional.of("facebook"), detect("32665", "Your confirmation code is 48291"),
                "no keyword: the service listed first");
    }

    @Test
    void withoutASenderMatchTheEarliestMentionWins() {
        assertEquals(Optional.of("uber"), detect("+14155550155",
                "Your Uber code is 5521. Don't share it with anyone, even if they say they're from Uber or Lyft."));
        assertEquals(Optional.of("lyft"),
                detect("+14155550155", "Your Lyft code is 5521. Drivers also on Uber: never share it."));
        assertEquals(Optional.of("venmo"), detect("+12025550131",
                "Your Venmo verification code is 774102. Venmo is a service of PayPal, Inc."));
        assertEquals(Optional.of("microsoft"), detect("+1", "Use this code for Microsoft verification: 482913. "
                + "Don't share it. Sent via Twilio"));
    }

    @Test
    void keywordsMatchWholeWordsOnly() {
        assertEquals(Optional.empty(), detect("+12025550100", "Googleplex visitor code 4821"));
        assertEquals(Optional.empty(), detect("+12025550100", "Your Uberto Pizza order is ready"));
        assertEquals(Optional.of("whatsapp"), detect("+12025550100", "Dein WhatsApp-Code: 590-327"));
    }

    @Test
    void brandsThatAreOrdinaryWordsMatchOnlyWithTheirCase() {
        assertEquals(Optional.empty(), detect("+12025550100", "Please stay on the line, weak signal, chime in"));
        assertEquals(Optional.of("line"), detect("+12025550100", "[LINE] Your verification code: 482913"));
        assertEquals(Optional.of("signal"), detect("+12025550100", "Your Signal verification code: 482-913"));
        assertEquals(Optional.of("twitter"), detect("+12025550100", "Your X confirmation code is 330915."));
        assertEquals(Optional.empty(), detect("+12025550100", "Reply X to cancel your order"));
    }

    @Test
    void excludedPhrasesDoNotCountAsMentions() {
        assertEquals(Optional.empty(), detect("+18885550124", "Chase: Your card ending 4242 was added to Apple Pay."));
        assertEquals(Optional.of("apple"), detect("+18885550124", "Your Apple Account code is: 284719. Apple Pay too"));
    }

    @Test
    void nonLatinBrandSpellingsAndNeighbouringScriptsMatch() {
        assertEquals(Optional.of("wechat"), detect("+86106", "【微信】你的验证码是：482913"));
        assertEquals(Optional.of("kakaotalk"), detect("+82", "[Web발신] [카카오톡] 인증번호 [4821]"));
        assertEquals(Optional.of("whatsapp"), detect("+86", "您在WhatsApp上的验证码：123-456"));
        assertEquals(Optional.of("whatsapp"), detect("+82", "WhatsApp를 위한 코드 123-456"));
        assertEquals(Optional.of("whatsapp"), detect("+966", "رمز واتساب الخاص بك: \u200e739-104\u200e"));
        assertEquals(Optional.of("facebook"), detect("+966", "FB-30746 هو رمز تأكيد فيسبوك الخاص بك"));
    }

    @Test
    void nothingKnownMeansEmpty() {
        assertEquals(Optional.empty(), detect(null, null));
        assertEquals(Optional.empty(), detect("", ""));
        assertEquals(Optional.empty(), detect("+12025550101", "Your verification code is: 482913"));
    }

    @Test
    void customRulesUseTheFourArgumentConstructor() {
        ServiceDetector detector = new ServiceDetector(List.of(new ServiceRule("foo", "Foo", List.of(), List.of("foo")),
                new ServiceRule("bar", "Bar", List.of("BAR"), List.of("bar"))));
        assertEquals("foo", detector.detect("+1", "foo and bar").orElseThrow().slug());
        assertEquals("bar", detector.detect("+1", "bar and foo").orElseThrow().slug());
        assertEquals("bar", detector.detect("Bar", "foo").orElseThrow().slug());
    }
}
