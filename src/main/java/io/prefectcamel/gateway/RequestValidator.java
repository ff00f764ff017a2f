package io.prefectcamel.gateway;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefectcamel.call.PrefectIds;

/**
 * Checks a request against the facade's OpenAPI description of its operation, so that bad input is refused with
 * a clear 400 (or 413) before anything reaches Prefect. REST and MCP callers both pass through here.
 */
public final class RequestValidator {

    public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
    // a body is one JSON value: "{...} {...}" is refused, not cut short to its first value
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestValidator() {
    }

    /** Checks one parameter value (already known to be present) against its schema. */
    public static void checkParameter(FacadeSpec.Parameter p, String value) {
        String name = p.name();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw bad(name, "must not contain line breaks or NUL characters");
            }
        }
        if ("path".equals(p.in()) && (value.contains("/") || value.contains("\\") || value.contains("..") || value.contains("%"))) {
            throw bad(name, "must not contain '/', '\\', '..' or '%'");
        }
        checkValue(name, p.schema(), value);
    }

    private static void checkValue(String name, JsonNode schema, String value) {
        if (schema == null || schema.isMissingNode()) {
            return;
        }
        JsonNode resolved = FacadeSpec.get().resolve(schema);
        if (resolved.has("enum")) {
            boolean found = false;
            StringBuilder allowed = new StringBuilder();
            for (JsonNode e : resolved.get("enum")) {
                found |= e.asText().equals(value);
                allowed.append(allowed.length() == 0 ? "" : ", ").append(e.asText());
            }
            if (!found) {
                throw bad(name, "must be one of: " + allowed);
            }
        }
        if ("uuid".equals(resolved.path("format").asText()) && !PrefectIds.isUuid(value)) {
            throw bad(name, "must be a UUID such as 0b8e2d6c-3f1a-4c55-9a8e-1f2d3c4b5a69");
        }
        String type = resolved.path("type").asText("");
        if ("integer".equals(type)) {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw bad(name, "must be an integer");
            }
            checkRange(name, resolved, BigDecimal.valueOf(n));
        } else if ("boolean".equals(type)) {
            if (!"true".equals(value) && !"false".equals(value)) {
                throw bad(name, "must be true or false");
            }
        } else {
            if (resolved.has("minLength") && value.length() < resolved.get("minLength").asInt()) {
                throw bad(name, "must not be empty");
            }
            if (resolved.has("maxLength") && value.length() > resolved.get("maxLength").asInt()) {
                throw bad(name, "must be at most " + resolved.get("maxLength").asInt() + " characters");
            }
        }
    }

    private static void checkRange(String name, JsonNode schema, BigDecimal n) {
        if (schema.has("minimum") && n.compareTo(schema.get("minimum").decimalValue()) < 0) {
            throw bad(name, "must be at least " + plain(schema.get("minimum")));
        }
        if (schema.has("maximum") && n.compareTo(schema.get("maximum").decimalValue()) > 0) {
            throw bad(name, "must be at most " + plain(schema.get("maximum")));
        }
    }

    private static String plain(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().toPlainString();
    }

    /**
     * Checks the JSON body: size, syntax, and the top-level shape Prefect expects (an array of events for creates,
     * an object with in-range {@code limit}, {@code time_unit}, {@code time_interval} for reads and counts).
     * Returns the body as the caller sent it (one JSON document, checked), or null when there is none.
     */
    public static String checkBody(FacadeSpec.Operation op, byte[] raw) {
        if (op.requestBodySchema() == null) {
            return null;
        }
        if (raw != null && raw.length > MAX_BODY_BYTES) {
            throw new InvalidRequestException(413, "body", "The body is " + raw.length + " bytes; at most "
                    + MAX_BODY_BYTES + " (5 MiB) are accepted. Split the events into smaller batches.");
        }
        String text = raw == null ? "" : new String(raw, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            if (op.bodyRequired()) {
                throw bad("body", "is required: " + describe(op.requestBodySchema()));
            }
            return null;
        }
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad("body", "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        JsonNode schema = op.requestBodySchema();
        String type = schema.path("type").asText();
        if ("array".equals(type)) {
            if (!body.isArray()) {
                throw bad("body", "must be a JSON array of events");
            }
            if (schema.has("minItems") && body.size() < schema.get("minItems").asInt()) {
                throw bad("body", "must hold at least one event");
            }
            JsonNode item = FacadeSpec.get().resolve(schema.path("items"));
            for (int i = 0; i < body.size(); i++) {
                checkObject("body[" + i + "]", item, body.get(i));
            }
        } else if ("object".equals(type)) {
            if (!body.isObject()) {
                throw bad("body", "must be a JSON object");
            }
            checkObject("body", schema, body);
        }
        // the caller's own JSON, checked: Prefect reads the same document, and nothing is serialised again
        return text;
    }

    /** Required properties and the scalar constraints of the object's own properties (one level deep). */
    private static void checkObject(String where, JsonNode schema, JsonNode value) {
        if (!value.isObject()) {
            throw bad(where, "must be a JSON object");
        }
        for (JsonNode required : schema.path("required")) {
            JsonNode v = value.get(required.asText());
            if (v == null || v.isNull()) {
                throw bad(where + "." + required.asText(), "is required");
            }
        }
        var fields = schema.path("properties").fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode v = value.get(field.getKey());
            if (v == null || v.isNull()) {
                continue;
            }
            String name = where.equals("body") ? field.getKey() : where + "." + field.getKey();
            JsonNode propSchema = FacadeSpec.get().resolve(field.getValue());
            String type = propSchema.path("type").asText("");
            switch (type) {
                case "integer", "number" -> {
                    if (!v.isNumber() || ("integer".equals(type) && !v.canConvertToExactIntegral())) {
                        throw bad(name, "must be " + ("integer".equals(type) ? "an integer" : "a number"));
                    }
                    checkRange(name, propSchema, v.decimalValue());
                }
                case "string" -> {
                    if (!v.isTextual()) {
                        throw bad(name, "must be a string");
                    }
                    checkValue(name, propSchema, v.asText());
                }
                case "object" -> {
                    if (!v.isObject()) {
                        throw bad(name, "must be a JSON object");
                    }
                }
                case "array" -> {
                    if (!v.isArray()) {
                        throw bad(name, "must be a JSON array");
                    }
                }
                default -> {
                    // unions (a filter or null, a uuid or null): Prefect checks those and answers 422
                }
            }
        }
    }

    private static String describe(JsonNode schema) {
        return "array".equals(schema.path("type").asText()) ? "a JSON array of events" : "a JSON object";
    }

    private static InvalidRequestException bad(String name, String what) {
        return new InvalidRequestException(400, name, "'" + name + "' " + what + ".");
    }
}
