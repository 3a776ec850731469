package com.fetchsms.gateway;

import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes a JSON value as block-style YAML ({@code GET /openapi.yaml}). Every string and key is a double-quoted scalar
 * (so no value is ever read back as a number, boolean or null by mistake), numbers, booleans and null are plain, empty
 * objects and arrays are {@code {}} and {@code []}. Reading the result with any YAML 1.2 parser gives the JSON back.
 */
final class Yaml {

    private Yaml() {
    }

    static String write(JsonObject document) {
        StringBuilder out = new StringBuilder();
        object(document, 0, out);
        return out.toString();
    }

    private static void object(JsonObject object, int indent, StringBuilder out) {
        for (Map.Entry<String, Object> entry : object) {
            indent(indent, out);
            quoted(entry.getKey(), out);
            out.append(':');
            value(entry.getValue(), indent, out);
        }
    }

    /** After {@code key:} or {@code -}: a scalar on the same line, a collection on the next lines. */
    private static void value(Object value, int indent, StringBuilder out) {
        if (value instanceof JsonObject object && !object.isEmpty()) {
            out.append('\n');
            object(object, indent + 2, out);
        } else if (value instanceof JsonArray array && !array.isEmpty()) {
            out.append('\n');
            array(array, indent + 2, out);
        } else {
            out.append(' ');
            scalar(value, out);
            out.append('\n');
        }
    }

    private static void array(JsonArray array, int indent, StringBuilder out) {
        for (Object item : array) {
            indent(indent, out);
            out.append('-');
            value(item, indent, out);
        }
    }

    private static void scalar(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof JsonObject) {
            out.append("{}");
        } else if (value instanceof JsonArray) {
            out.append("[]");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            quoted(value.toString(), out);
        }
    }

    private static void indent(int indent, StringBuilder out) {
        out.append(" ".repeat(indent));
    }

    /** A YAML double-quoted scalar: backslash escapes for quotes, backslashes and every control character. */
    static void quoted(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                            || c == '\ufeff') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
