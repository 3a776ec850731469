package com.fetchsms.common.validation;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads a reference to a catalog service as clients send it, a positive integer id ({@code 4}) or a slug
 * ({@code "telegram"}), into its text form: the id's digits, or the slug trimmed and in lower case. Any other JSON value
 * (a fraction, zero, a boolean, an object) is <b>400</b> {@code Field 'service' must be a service id (integer) or slug
 * (string)}. Use on a {@code String} field with {@code @Required}, {@code @CleanText} and {@code @Size(max = MAX_LENGTH)}.
 */
public final class ServiceReference extends StdDeserializer<String> {

    /** The longest reference taken (a slug). */
    public static final int MAX_LENGTH = 64;
    /** The hint shown for a reference of the wrong JSON type. */
    public static final String TYPE_HINT = "a service id (integer) or slug (string)";

    public ServiceReference() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            return p.getText().trim().toLowerCase(Locale.ROOT);
        }
        if (p.hasToken(JsonToken.VALUE_NUMBER_INT) && p.getNumberType() == JsonParser.NumberType.INT
                && p.getIntValue() > 0) {
            return Integer.toString(p.getIntValue());
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
