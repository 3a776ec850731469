package com.fetchsms.common.phone;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * US (NANP) numbers: stored and keyed in E.164 ({@code +13325550184}), shown to customers as
 * {@code (332) 555-0184}.
 */
public final class PhoneNumbers {

    private static final Pattern NANP = Pattern.compile("[2-9]\\d{2}[2-9]\\d{6}");
    /** A US area code (NANP: the first digit 2–9), as a regular expression for constraints. */
    public static final String AREA_CODE_REGEX = "[2-9]\\d{2}";

    private static final Pattern AREA_CODE = Pattern.compile(AREA_CODE_REGEX);

    private PhoneNumbers() {
    }

    /**
     * Normalises {@code +13325550184}, {@code 13325550184}, {@code 3325550184} or {@code (332) 555-0184} to E.164;
     * empty when it is not a valid US number.
     */
    public static Optional<String> toE164(String input) {
        if (input == null) {
            return Optional.empty();
        }
        String digits = input.replaceAll("[\\s().\\-]", "");
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
            if (!digits.startsWith("1")) {
                return Optional.empty();
            }
        }
        if (digits.length() == 11 && digits.startsWith("1")) {
            digits = digits.substring(1);
        }
        return NANP.matcher(digits).matches() ? Optional.of("+1" + digits) : Optional.empty();
    }

    /** The 3-digit area code of an E.164 US number. */
    public static String areaCode(String e164) {
        return e164.substring(2, 5);
    }

    /** {@code +13325550184} → {@code (332) 555-0184}. */
    public static String display(String e164) {
        String d = e164.substring(2);
        return "(" + d.substring(0, 3) + ") " + d.substring(3, 6) + "-" + d.substring(6);
    }

    public static boolean isAreaCode(String value) {
        return value != null && AREA_CODE.matcher(value).matches();
    }
}
