package com.fetchsms.ingest.rest;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * The readings of gateway JSON that are more lenient than the platform's strict scalars ({@code JsonConventions}):
 * modem software writes numbers as JSON numbers, and third-party webhook formats are read the way their senders write
 * them. Each is used on one field with {@code @JsonDeserialize(using = …)}; a JSON {@code null} stays {@code null}.
 */
final class GatewayJson {

    private GatewayJson() {
    }

    /**
     * A string, or a JSON integer read as its digits as sent ({@code 13325550184} → {@code "13325550184"}): phone
     * numbers, short-code senders and message ids that a gateway writes as numbers. A fraction, a boolean, an object
     * or an array is 400 naming the field (the field's {@code @TypeHint}).
     */
    static final class StringOrInteger extends StdDeserializer<String> {

        StringOrInteger() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING) || p.hasToken(JsonToken.VALUE_NUMBER_INT)) {
                return p.getText();
            }
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }

    /**
     * Any JSON scalar as its text (a number or a boolean as written): a third party's field the route only reads as
     * text. An object or an array is 400 naming the field.
     */
    static final class ScalarText extends StdDeserializer<String> {

        ScalarText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != null && p.currentToken().isScalarValue()) {
                return p.getText();
            }
            return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
    }

    /**
     * A JSON number within the range of an {@code int} (a fraction truncated), else {@code null}: an optional hint
     * of a third party that the route ignores when it cannot use it (a string, an object, a number out of range).
     */
    static final class OptionalInt extends StdDeserializer<Integer> {

        OptionalInt() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != null && p.currentToken().isNumeric()) {
                double value = p.getDoubleValue();
                return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (int) value : null;
            }
            p.skipChildren();
            return null;
        }
    }
}
