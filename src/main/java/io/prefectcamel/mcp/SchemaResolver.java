package io.prefectcamel.mcp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns OpenAPI 3.1 schemas into self-contained JSON Schemas for MCP tools: every {@code $ref} is inlined (a
 * reference back into itself becomes a plain object schema, so recursion ends), whole numbers written as
 * {@code 200.0} become {@code 200}, and, for input schemas, {@code anyOf [X, null]} collapses to {@code X} (a
 * null argument is treated as omitted).
 */
final class SchemaResolver {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 64;

    private final JsonNode document;

    SchemaResolver(JsonNode document) {
        this.document = document;
    }

    /** A resolved copy of {@code schema}; the input is not changed. */
    ObjectNode resolve(JsonNode schema, boolean forInput) {
        JsonNode resolved = resolve(schema, new ArrayDeque<>(), forInput, 0);
        return resolved instanceof ObjectNode o ? o : F.objectNode();
    }

    /** The component a {@code $ref} such as {@code #/components/schemas/Event} points at, or null. */
    JsonNode lookup(String ref) {
        if (ref == null || !ref.startsWith("#/")) {
            return null;
        }
        JsonNode node = document;
        for (String part : ref.substring(2).split("/")) {
            node = node.path(part.replace("~1", "/").replace("~0", "~"));
        }
        return node.isMissingNode() ? null : node;
    }

    private JsonNode resolve(JsonNode node, Deque<String> seen, boolean forInput, int depth) {
        if (node == null || node.isNull()) {
            return F.objectNode();
        }
        if (node.isArray()) {
            ArrayNode out = F.arrayNode();
            node.forEach(item -> out.add(resolve(item, seen, forInput, depth + 1)));
            return out;
        }
        if (!node.isObject()) {
            return tidyNumber(node);
        }
        if (depth > MAX_DEPTH) {
            return F.objectNode().put("type", "object");
        }
        ObjectNode out = F.objectNode();
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            String r = ref.asText();
            JsonNode target = lookup(r);
            if (target == null || seen.contains(r)) {
                // unknown or recursive: an open object keeps the schema valid and finite
                out.put("type", "object");
                out.put("description", "(nested " + r.substring(r.lastIndexOf('/') + 1) + ", see the enclosing schema)");
            } else {
                seen.push(r);
                JsonNode inlined = resolve(target, seen, forInput, depth + 1);
                seen.pop();
                if (inlined.isObject()) {
                    out.setAll((ObjectNode) inlined);
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            if (key.equals("$ref") || key.startsWith("x-")) {
                continue;
            }
            JsonNode value = e.getValue();
            switch (key) {
                case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas" -> {
                    ObjectNode props = F.objectNode();
                    value.fields().forEachRemaining(p -> props.set(p.getKey(), resolve(p.getValue(), seen, forInput, depth + 1)));
                    out.set(key, props);
                }
                case "items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
                        "unevaluatedProperties", "unevaluatedItems", "allOf", "anyOf", "oneOf", "prefixItems" ->
                        out.set(key, resolve(value, seen, forInput, depth + 1));
                default -> out.set(key, value.isObject() || value.isArray() ? value.deepCopy() : tidyNumber(value));
            }
        }
        return forInput ? collapseNullable(out) : out;
    }

    /** {@code anyOf: [X, {type: null}]} becomes X merged with the outer keywords (input schemas only). */
    private static ObjectNode collapseNullable(ObjectNode schema) {
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf == null || !anyOf.isArray()) {
            return schema;
        }
        ArrayNode kept = F.arrayNode();
        for (JsonNode alt : anyOf) {
            if (!(alt.isObject() && alt.size() == 1 && "null".equals(alt.path("type").asText()))) {
                kept.add(alt);
            }
        }
        if (kept.size() == anyOf.size()) {
            return schema;
        }
        schema.remove("anyOf");
        if (kept.size() == 1 && kept.get(0).isObject()) {
            ObjectNode only = ((ObjectNode) kept.get(0)).deepCopy();
            // the outer title/description/default describe the field better than the inner type's
            schema.fields().forEachRemaining(e -> only.set(e.getKey(), e.getValue()));
            return only;
        }
        if (kept.size() > 0) {
            schema.set("anyOf", kept);
        }
        return schema;
    }

    private static JsonNode tidyNumber(JsonNode value) {
        if (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                && Math.abs(value.asDouble()) < 1e15) {
            return F.numberNode(value.asLong());
        }
        return value;
    }
}
