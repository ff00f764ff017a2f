package io.prefectcamel.testing;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Smallest valid values for the schemas of an OpenAPI document: what a test sends when it wants "a valid request"
 * for any operation of the catalog without a hand-written fixture per operation.
 */
public final class SampleRequests {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final JsonNode document;

    public SampleRequests(JsonNode document) {
        this.document = document;
    }

    /** A value that the schema accepts: required properties only, the first enum value, formats honoured. */
    public JsonNode sample(JsonNode schema) {
        return sample(schema, 0);
    }

    private JsonNode sample(JsonNode schema, int depth) {
        JsonNode s = resolve(schema);
        if (depth > 12) {
            return F.nullNode();
        }
        if (s.has("const")) {
            return s.get("const");
        }
        if (s.has("enum")) {
            return s.get("enum").get(0);
        }
        if (s.has("default") && !s.get("default").isNull()) {
            return s.get("default");
        }
        for (String combiner : new String[] {"anyOf", "oneOf"}) {
            if (s.has(combiner)) {
                for (JsonNode option : s.get(combiner)) {
                    if (!"null".equals(resolve(option).path("type").asText())) {
                        return sample(option, depth + 1);
                    }
                }
            }
        }
        if (s.has("allOf")) {
            return sample(s.get("allOf").get(0), depth + 1);
        }
        String type = s.path("type").isArray() ? s.path("type").get(0).asText() : s.path("type").asText("object");
        switch (type) {
            case "string":
                return F.textNode(switch (s.path("format").asText("")) {
                    case "uuid" -> UUID.randomUUID().toString();
                    case "date-time" -> "2026-05-01T10:00:00Z";
                    case "date" -> "2026-05-01";
                    case "email" -> "someone@example.com";
                    case "uri" -> "https://example.com/";
                    default -> "x".repeat(Math.max(1, s.path("minLength").asInt(1)));
                });
            case "integer":
                return F.numberNode(s.path("minimum").asLong(1));
            case "number":
                return F.numberNode(s.path("minimum").asDouble(1));
            case "boolean":
                return F.booleanNode(true);
            case "array": {
                ArrayNode a = F.arrayNode();
                for (int i = 0; i < s.path("minItems").asInt(0); i++) {
                    a.add(sample(s.path("items"), depth + 1));
                }
                return a;
            }
            default: {
                ObjectNode o = F.objectNode();
                for (JsonNode r : s.path("required")) {
                    o.set(r.asText(), sample(s.path("properties").path(r.asText()), depth + 1));
                }
                return o;
            }
        }
    }

    /** Follows local $refs. */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema == null ? F.objectNode() : schema;
        for (int i = 0; i < 16 && current.has("$ref"); i++) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    /** The facade operation's parameters with a sample value each (path ids are fresh UUIDs). */
    public Map<String, String> parameters(JsonNode operation, boolean requiredOnly) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (Iterator<JsonNode> it = operation.path("parameters").elements(); it.hasNext();) {
            JsonNode p = it.next();
            if (requiredOnly && !p.path("required").asBoolean(false)) {
                continue;
            }
            JsonNode v = sample(p.path("schema"));
            values.put(p.path("name").asText(), v.isTextual() ? v.asText() : v.toString());
        }
        return values;
    }

    /** What Prefect answers an operation: its first documented 2xx status and a body of that answer's schema (or none). */
    public record Answer(int status, JsonNode body) {
    }

    /** The facade operation's documented success: status and a sample body. */
    public Answer success(JsonNode operation) {
        for (Iterator<Map.Entry<String, JsonNode>> it = operation.path("responses").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> r = it.next();
            if (r.getKey().startsWith("2")) {
                JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
                return new Answer(Integer.parseInt(r.getKey()), schema.isMissingNode() ? null : sample(schema));
            }
        }
        throw new IllegalArgumentException("no documented success for " + operation.path("operationId").asText());
    }

    public static String json(JsonNode node) {
        try {
            return new ObjectMapper().writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
