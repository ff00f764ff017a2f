package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects request validation errors the way FastAPI reports them with pydantic v2:
 * {@code {"type": ..., "loc": [...], "msg": ..., "input": ..., "ctx": {...}}}.
 */
final class Problems {

    private final ArrayNode errors = Json.array();

    static List<Object> loc(Object... parts) {
        List<Object> list = new ArrayList<>(parts.length);
        for (Object part : parts) {
            list.add(part);
        }
        return list;
    }

    static List<Object> child(List<Object> base, Object... more) {
        List<Object> list = new ArrayList<>(base.size() + more.length);
        list.addAll(base);
        for (Object part : more) {
            list.add(part);
        }
        return list;
    }

    ObjectNode add(String type, List<Object> loc, String msg, JsonNode input) {
        ObjectNode error = errors.addObject();
        error.put("type", type);
        ArrayNode locNode = error.putArray("loc");
        for (Object part : loc) {
            if (part instanceof Integer i) {
                locNode.add(i);
            } else if (part instanceof Long l) {
                locNode.add(l);
            } else {
                locNode.add(String.valueOf(part));
            }
        }
        error.put("msg", msg);
        error.set("input", input == null || input.isMissingNode() ? NullNode.getInstance() : input);
        return error;
    }

    void missing(List<Object> loc, JsonNode input) {
        add("missing", loc, "Field required", input);
    }

    void valueError(List<Object> loc, String message, JsonNode input) {
        ObjectNode error = add("value_error", loc, "Value error, " + message, input);
        error.putObject("ctx").put("error", message);
    }

    void stringType(List<Object> loc, JsonNode input) {
        add("string_type", loc, "Input should be a valid string", input);
    }

    void listType(List<Object> loc, JsonNode input) {
        add("list_type", loc, "Input should be a valid list", input);
    }

    void dictType(List<Object> loc, JsonNode input) {
        add("dict_type", loc, "Input should be a valid dictionary", input);
    }

    void extraForbidden(List<Object> loc, JsonNode input) {
        add("extra_forbidden", loc, "Extra inputs are not permitted", input);
    }

    void enumError(List<Object> loc, JsonNode input, String expected) {
        ObjectNode error = add("enum", loc, "Input should be " + expected, input);
        error.putObject("ctx").put("expected", expected);
    }

    void greaterThanEqual(List<Object> loc, JsonNode input, Number bound) {
        ObjectNode error = add("greater_than_equal", loc, "Input should be greater than or equal to " + bound, input);
        error.putObject("ctx").putPOJO("ge", bound);
    }

    void lessThanEqual(List<Object> loc, JsonNode input, Number bound) {
        ObjectNode error = add("less_than_equal", loc, "Input should be less than or equal to " + bound, input);
        error.putObject("ctx").putPOJO("le", bound);
    }

    void intParsing(List<Object> loc, JsonNode input) {
        if (input != null && input.isTextual()) {
            add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", input);
        } else if (input != null && input.isNumber()) {
            add("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", input);
        } else {
            add("int_type", loc, "Input should be a valid integer", input);
        }
    }

    void uuidError(List<Object> loc, JsonNode input) {
        if (input != null && input.isTextual()) {
            add("uuid_parsing", loc, "Input should be a valid UUID, " + Uuids.problem(input.asText()), input);
        } else {
            add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", input);
        }
    }

    void datetimeError(List<Object> loc, JsonNode input) {
        if (input != null && (input.isTextual() || input.isNumber())) {
            add("datetime_from_date_parsing", loc, "Input should be a valid datetime or date, invalid datetime", input);
        } else {
            add("datetime_type", loc, "Input should be a valid datetime", input);
        }
    }

    void stringTooLong(List<Object> loc, JsonNode input, int max) {
        ObjectNode error = add("string_too_long", loc, "String should have at most " + max + " characters", input);
        error.putObject("ctx").put("max_length", max);
    }

    void stringTooShort(List<Object> loc, JsonNode input, int min) {
        ObjectNode error = add("string_too_short", loc,
                "String should have at least " + min + " character" + (min == 1 ? "" : "s"), input);
        error.putObject("ctx").put("min_length", min);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    ArrayNode errors() {
        return errors;
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }
}
