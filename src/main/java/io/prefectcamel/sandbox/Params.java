package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** Lax (pydantic-style) coercion of JSON values and query parameters. */
final class Params {

    private Params() {
    }

    /** pydantic's lax boolean: true/false, 0/1 and the usual words. Null when not a boolean. */
    static Boolean bool(JsonNode node) {
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            long v = node.asLong();
            return v == 1 ? Boolean.TRUE : v == 0 ? Boolean.FALSE : null;
        }
        if (node.isTextual()) {
            return bool(node.asText());
        }
        return null;
    }

    static Boolean bool(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1": case "true": case "t": case "yes": case "y": case "on":
                return Boolean.TRUE;
            case "0": case "false": case "f": case "no": case "n": case "off":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** pydantic's lax integer: integral numbers and numeric strings. Null when not an integer. */
    static Long integer(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue();
            try {
                return d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : null;
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Validates an integer field within [min, max] (max &lt; 0: unbounded). Returns the value, null when
     * absent (or JSON null and {@code nullable}); records a problem and returns null when invalid.
     */
    static Long intField(JsonNode node, List<Object> loc, Problems problems, long min, long max, boolean nullable) {
        if (node == null || (nullable && node.isNull())) {
            return null;
        }
        Long v = node.isBoolean() ? null : integer(node);
        if (v == null) {
            problems.intParsing(loc, node);
            return null;
        }
        if (v < min) {
            problems.greaterThanEqual(loc, node, min);
            return null;
        }
        if (max >= 0 && v > max) {
            problems.lessThanEqual(loc, node, max);
            return null;
        }
        return v;
    }

    static Long intQuery(String value, List<Object> loc, Problems problems, long min, long max) {
        return value == null ? null : intField(TextNode.valueOf(value), loc, problems, min, max, false);
    }
}
