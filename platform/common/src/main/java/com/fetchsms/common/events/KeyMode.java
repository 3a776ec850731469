package com.fetchsms.common.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which world an API key acts on: {@code live} keys ({@code fsk_live_…}) buy real numbers with real money; {@code test}
 * keys ({@code fsk_test_…}) act on the sandbox: the account's sandbox twin, its sandbox wallet of test money, and
 * sandbox numbers that receive only simulated SMS. An event written before keys had a mode is a {@code live} key.
 */
public enum KeyMode {
    @JsonProperty("live")
    LIVE("fsk_live_"),
    @JsonProperty("test")
    TEST("fsk_test_");

    private final String prefix;

    KeyMode(String prefix) {
        this.prefix = prefix;
    }

    /** How every key of this mode begins. */
    public String prefix() {
        return prefix;
    }

    /** The spelling in JSON and in the database. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A stored spelling; anything else is a programming error. */
    public static KeyMode of(String code) {
        return valueOf(code.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
