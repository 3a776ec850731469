package com.fetchsms.common.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

/**
 * A JSON integer and nothing else, for amounts in cents: Jackson would otherwise truncate {@code 10.5} to 10 and read
 * {@code "10"} as 10. Anything but an integer that fits a {@code long} is refused as the wrong type of its field (400).
 * Use with {@code @JsonDeserialize(using = WholeNumber.class)} on a {@code Long}.
 */
public class WholeNumber extends JsonDeserializer<Long> {

    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return (Long) context.handleUnexpectedToken(Long.class, parser);
        }
        return parser.getLongValue();
    }
}
