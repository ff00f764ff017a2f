package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small JSON-schema check of request bodies against Prefect's schemas, with pydantic's error types and
 * messages (required fields, types, {@code uuid}/{@code email}/{@code date-time} formats, lengths, bounds,
 * enums, {@code additionalProperties: false}, {@code anyOf}), and the shaping of answers by response schemas:
 * an answer holds exactly the fields its schema names, with the schema's defaults, so a secret a schema leaves
 * out (a bot's key in {@code BotReadResponse}) is never sent.
 */
final class SchemaCheck {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final AdminSpec spec;

    SchemaCheck(AdminSpec spec) {
        this.spec = spec;
    }

    /** Records in {@code problems} where {@code value} breaks {@code schema}; null value: absent. */
    void check(JsonNode schema, JsonNode value, List<Object> loc, Problems problems) {
        schema = spec.resolve(schema);
        if (schema == null || value == null) {
            return;
        }
        if (schema.has("anyOf")) {
            List<JsonNode> branches = new ArrayList<>();
            for (JsonNode b : schema.get("anyOf")) {
                JsonNode r = spec.resolve(b);
                if ("null".equals(r.path("type").asText())) {
                    if (value.isNull()) {
                        return;
                    }
                } else {
                    branches.add(r);
                }
            }
            Problems first = null;
            for (JsonNode b : branches) {
                Problems p = new Problems();
                check(b, value, loc, p);
                if (p.isEmpty()) {
                    return;
                }
                if (first == null || (fits(b, value) && !fits(branches.get(0), value))) {
                    first = p;
                }
            }
            if (first != null) {
                problems.errors().addAll(first.errors());
            }
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            ObjectNode e = problems.add("literal_error", loc, "Input should be " + quote(schema.get("const")), value);
            e.putObject("ctx").put("expected", quote(schema.get("const")));
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            List<String> names = new ArrayList<>();
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
                names.add(quote(e));
            }
            if (!found) {
                problems.enumError(loc, value, expected(names));
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "string" -> checkString(schema, value, loc, problems);
            case "integer" -> {
                Long v = value.isBoolean() ? null : Params.integer(value);
                if (v == null) {
                    problems.intParsing(loc, value);
                } else {
                    checkBounds(schema, v, value, loc, problems);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add("float_type", loc, "Input should be a valid number", value);
                } else {
                    checkBounds(schema, value.asDouble(), value, loc, problems);
                }
            }
            case "boolean" -> {
                if (value.isBoolean() ? false : Params.bool(value) == null) {
                    problems.add("bool_parsing", loc, "Input should be a valid boolean", value);
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.listType(loc, value);
                    return;
                }
                int min = schema.path("minItems").asInt(0);
                if (value.size() < min) {
                    ObjectNode e = problems.add("too_short", loc, "List should have at least " + min + " item"
                            + (min == 1 ? "" : "s") + " after validation, not " + value.size(), value);
                    e.putObject("ctx").put("field_type", "List").put("min_length", min).put("actual_length", value.size());
                }
                JsonNode items = schema.get("items");
                for (int i = 0; i < value.size(); i++) {
                    check(items, value.get(i), Problems.child(loc, i), problems);
                }
            }
            case "object" -> checkObject(schema, value, loc, problems);
            default -> {
                // untyped: anything goes
            }
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, List<Object> loc, Problems problems) {
        if (!value.isObject()) {
            problems.add("model_attributes_type", loc,
                    "Input should be a valid dictionary or object to extract fields from", value);
            return;
        }
        JsonNode props = schema.path("properties");
        for (JsonNode r : schema.path("required")) {
            if (!value.has(r.asText())) {
                problems.missing(Problems.child(loc, r.asText()), value);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode p = props.get(f.getKey());
            if (p != null) {
                check(p, f.getValue(), Problems.child(loc, f.getKey()), problems);
            } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
                problems.extraForbidden(Problems.child(loc, f.getKey()), f.getValue());
            }
        }
    }

    private static void checkString(JsonNode schema, JsonNode value, List<Object> loc, Problems problems) {
        if (!value.isTextual()) {
            String format = schema.path("format").asText("");
            if (format.equals("uuid")) {
                problems.uuidError(loc, value);
            } else if (format.equals("date-time")) {
                problems.datetimeError(loc, value);
            } else {
                problems.stringType(loc, value);
            }
            return;
        }
        String text = value.asText();
        switch (schema.path("format").asText("")) {
            case "uuid" -> {
                if (!Uuids.isUuid(text)) {
                    problems.uuidError(loc, value);
                    return;
                }
            }
            case "email" -> {
                if (!EMAIL.matcher(text).matches()) {
                    problems.valueError(loc, "value is not a valid email address: "
                            + (text.contains("@") ? "The part after the @-sign is not valid." : "An email address must have an @-sign."), value);
                    return;
                }
            }
            case "date-time" -> {
                if (Timestamps.parse(text) == null) {
                    problems.datetimeError(loc, value);
                    return;
                }
            }
            default -> {
            }
        }
        int length = text.codePointCount(0, text.length());
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            problems.stringTooLong(loc, value, schema.get("maxLength").asInt());
        } else if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            problems.stringTooShort(loc, value, schema.get("minLength").asInt());
        }
    }

    private static void checkBounds(JsonNode schema, double v, JsonNode value, List<Object> loc, Problems problems) {
        if (schema.has("minimum") && v < schema.get("minimum").asDouble()) {
            problems.greaterThanEqual(loc, value, schema.get("minimum").numberValue().longValue());
        } else if (schema.has("maximum") && v > schema.get("maximum").asDouble()) {
            problems.lessThanEqual(loc, value, schema.get("maximum").numberValue().longValue());
        }
    }

    /** Whether the value has the JSON type the schema asks for (to pick the branch whose errors to report). */
    private static boolean fits(JsonNode schema, JsonNode value) {
        return switch (schema.path("type").asText("")) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            default -> false;
        };
    }

    private static String quote(JsonNode v) {
        return v.isTextual() ? "'" + v.asText() + "'" : v.toString();
    }

    private static String expected(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    // ------------------------------------------------------------------ answers

    /**
     * The value as the schema shows it: an object gets exactly the schema's properties (the value's, else the
     * schema's default, else null where null is allowed); arrays are shaped item by item.
     */
    JsonNode render(JsonNode schema, JsonNode value) {
        schema = spec.resolve(schema);
        if (schema == null || value == null || value.isNull()) {
            return value == null ? NullNode.getInstance() : value;
        }
        if (schema.has("anyOf")) {
            for (JsonNode b : schema.get("anyOf")) {
                JsonNode r = spec.resolve(b);
                if (fits(r, value) || (r.has("properties") && value.isObject())) {
                    return render(r, value);
                }
            }
            return value;
        }
        if (value.isArray() && schema.has("items")) {
            ArrayNode out = Json.array();
            JsonNode items = schema.get("items");
            value.forEach(item -> out.add(render(items, item)));
            return out;
        }
        if (value.isObject() && schema.has("properties")) {
            ObjectNode out = Json.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                JsonNode v = value.get(p.getKey());
                if (v != null) {
                    out.set(p.getKey(), render(p.getValue(), v));
                } else if (p.getValue().has("default")) {
                    out.set(p.getKey(), p.getValue().get("default").deepCopy());
                } else if (nullable(p.getValue())) {
                    out.putNull(p.getKey());
                } else if ("array".equals(spec.resolve(p.getValue()).path("type").asText())) {
                    out.putArray(p.getKey());
                }
            }
            return out;
        }
        return value;
    }

    private boolean nullable(JsonNode schema) {
        for (JsonNode b : schema.path("anyOf")) {
            if ("null".equals(spec.resolve(b).path("type").asText())) {
                return true;
            }
        }
        return false;
    }
}
