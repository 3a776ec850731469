package com.fetchsms.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One-time code extraction: the product's hard cases, one behaviour per test. */
class CodeExtractorTest {

    private static void code(String expected, String text) {
        assertEquals(Optional.of(expected), CodeExtractor.extract(text), text);
    }

    private static void noCode(String text) {
        assertEquals(Optional.empty(), CodeExtractor.extract(text), text);
    }

    @Test
    void dashedAndSpacedCodesKeepTheirSeparator() {
        code("821-193", "Your WhatsApp code: 821-193");
        code("123 456", "Use 123 456 to verify your Instagram account.");
        code("4821-3390", "Seu código de verificação é 4821-3390.");
        code("304-117", "Your WhatsApp code: 304-117\nOr tap v.whatsapp.com/304117");
    }

    @Test
    void aLetterPrefixIsNotPartOfTheCode() {
        code("123456", "G-123456 is your Google verification code");
        code("12345", "FB-12345 is your Facebook confirmation code");
        code("813364", "Google 인증 코드는 G-813364입니다.");
    }

    @Test
    void alphanumericCodesAreFoundNextToACodeWord() {
        code("A7K9QX", "Your code is A7K9QX");
        code("7HJ-2KQ", "Code: 7HJ-2KQ. Enter it to finish signing in.");
        code("F7K2Q", "Your Steam verification code is: F7K2Q");
        code("HMQTV", "Steam Guard code: HMQTV");
        code("82BD4", "Yahoo: Your account key is 82BD4");
    }

    @Test
    void theCodeMayComeBeforeItsCodeWord() {
        code("4821", "Use 4821 as Microsoft account security code");
        code("548130", "548130 is your Amazon OTP. Do not share it with anyone.");
        code("6204", "[TikTok] 6204 adalah kode verifikasi Anda, berlaku selama 5 menit.");
    }

    @Test
    void phoneNumbersAreNotCodes() {
        noCode("Call us at 1-800-935-9935 or +1 (415) 555-0142, or locally 555-0142.");
        code("482913", "482913 is your code. Call 1-888-555-0199 if you didn't request it.");
    }

    @Test
    void validityPeriodsAreNotCodes() {
        code("482913", "PayPal: Your security code is 482913. Your code expires in 10 minutes.");
        code("4821", "Your code is 4821 (valid until 10:30)");
        noCode("Your code expires in 1440 minutes.");
    }

    @Test
    void amountsAreNotCodes() {
        noCode("You received $1,000.00 USD from Jane Doe.");
        noCode("You earned 1,000 points. Balance 25.00");
        noCode("Your total was 1500 USD.");
        code("482913", "OTP for txn of INR 5,000.00 at AMAZON is 482913. Valid for 10 mins. Do not share OTP.");
    }

    @Test
    void datesAndTimesAreNotCodes() {
        noCode("Your appointment is on 2026-11-22 at 10:30.");
        noCode("Sale ends 12/25. Pickup 11.22.2026 after 7:40 PM.");
        noCode("配送予定日：2026年11月22日");
    }

    @Test
    void cardLastFourDigitsAreNotCodes() {
        noCode("Chase: card ending 4242 was charged $25.00 at STARBUCKS.");
        noCode("Your debit card ****4242 was declined.");
        code("771209", "Your PIN reset code for card ending 4242 is 771209.");
    }

    @Test
    void androidAppHashesAreNotCodes() {
        code("7214", "Your Uber code is 7214. Never share this code.\n\nqlRnn4A1sbt");
        code("227731", "<#> G-227731 is your Google verification code.\nFA+9qCX9VSu");
        code("51234", "Telegram code: 51234\n\nhttps://t.me/login/51234\n\nbWK3rB8oPQR");
    }

    @Test
    void optOutShortCodesOrderNumbersAndReferencesAreNotCodes() {
        code("3859", "Your Uber code: 3859. Never share this code. Reply STOP ALL to 89203 to unsubscribe.");
        noCode("Black Friday deals! Reply STOP to 55512 to opt out.");
        noCode("DoorDash: Order #4821: 2 items, total $32.18.");
        noCode("Your order 112-3456789-1234567 has shipped.");
        noCode("Your package 9400 1000 0000 0000 0000 00 arrives today.");
        code("739201", "รหัส OTP ของคุณคือ 739201 (Ref: XKQ2) ห้ามเปิดเผยรหัสนี้");
        noCode("Your confirmation number is 48213579.");
    }

    @Test
    void promoCodesAreNotOneTimeCodes() {
        noCode("Members get 25% off. Use code EXTRA25 at checkout.");
        noCode("Use promo code 4821 for a discount on your next ride.");
        noCode("Enter zip code 94103 to find a store.");
    }

    @Test
    void nonLatinTextsAndDigitsAreUnderstood() {
        code("4821", "Ваш код: 4821");
        code("739201", "验证码：739201");
        code("482913", "【微信】你的验证码是：482913，5分钟内有效。");
        code("5532", "رمز التحقق: 5532");
        code("5532", "رمز التحقق: ٥٥٣٢");
        code("62841", "کد ورود شما به Telegram: ۶۲۸۴۱");
        code("482913", "[Web발신]\n[네이버] 인증번호 [482913]를 입력해주세요.");
        code("123456", "Xの確認コードは１２３４５６です。");
        code("482913", "Seu código é 482913");
        code("482913", "Tu código es 482913");
        code("739204", "Doğrulama kodunuz: 739204");
        code("309217", "Ihr Sicherheitscode lautet 309217.");
        code("3391", "Mã xác minh của bạn là 3391.");
        code("246-813", "आपका WhatsApp कोड: 246-813");
    }

    @Test
    void bidiMarksAroundTheCodeAreIgnored() {
        code("739-104", "رمز واتساب الخاص بك: \u200e739-104\u200e");
    }

    @Test
    void aDomainBoundCodeLineIsTheCode() {
        code("284719", "Your Apple Account code is: 284719.\n\n@apple.com #284719 %apple.com");
        code("839201", "@example.com #839201");
    }

    @Test
    void anAnchoredCandidateBeatsAnUnanchoredOne() {
        code("4821", "Hi Sam, 55120 people joined today. Your code: 4821");
        code("48291", "Welcome! 77345 steps logged. Confirmation code 48291");
    }

    @Test
    void aLoneNumberIsTheCodeWhenNothingElseIsPlausible() {
        code("482913", "Welcome to FreshMart! Enter 482913 in the app to continue.");
        code("4821", "Enter this number 4821 in the app");
        code("618 204", "Someone requested a password reset. If this was you, use 618 204. Don't share it.");
        noCode("Bus 4821 leaves, bus 5512 arrives.");
        noCode("Happy 2026 from all of us!");
    }

    @Test
    void messagesWithoutACodeGiveNothing() {
        noCode("Your one-time passcode has expired. Request a new one in the app.");
        noCode("Google: New sign-in on Pixel 8 at 10:30 AM. Check g.co/sc");
        noCode("T-Mobile: You've used 80% of your 10GB high-speed data.");
        noCode("Lyft: Your driver is arriving in a gray Honda Civic, plate 8XYZ123.");
        noCode("Airbnb: Your reservation HMAB2C3 is confirmed.");
        noCode(null);
        noCode("");
        noCode("   ");
    }
}
