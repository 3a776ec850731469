package com.fetchsms.common.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

/**
 * A reference that is either an integer id or a string (a service's {@code 4} or {@code "telegram"}), read as its
 * text; a decimal number, a boolean, an array or an object is refused as the wrong type of its field (400) instead of
 * being turned into text. Use with {@code @JsonDeserialize(using = IdOrSlug.class)} on a {@code String}.
 */
public class IdOrSlug extends JsonDeserializer<String> {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getText();
        }
        return (String) context.handleUnexpectedToken(String.class, parser);
    }
}
