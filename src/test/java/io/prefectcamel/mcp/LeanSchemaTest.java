package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The quick output check may only say "valid" where the full JSON Schema 2020-12 validator says so too: held to it on
 * values made from every tool's schemas (input and output), valid ones and broken ones.
 */
class LeanSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());

    private static List<ToolDefinition> tools() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties props = new Properties();
            props.put("mcp.toolsets", "events,admin");
            context.getPropertiesComponent().setInitialProperties(props);
            try (InputStream in = LeanSchemaTest.class.getResourceAsStream("/openapi/prefect-camel-openapi.yaml")) {
                return ToolCatalog.build(ToolCatalog.readDocument(in), McpSettings.from(context)).tools();
            }
        }
    }

    @Test
    void neverCallsValidWhatTheFullValidatorRefuses() throws Exception {
        Random random = new Random(20261202);
        int schemas = 0;
        int values = 0;
        int vouched = 0;
        int validMade = 0;
        int validVouched = 0;
        for (ToolDefinition tool : tools()) {
            for (ObjectNode schema : new ObjectNode[] { tool.inputSchema(), tool.outputSchema() }) {
                if (schema == null) {
                    continue;
                }
                LeanSchema lean = LeanSchema.compile(schema);
                if (lean == null) {
                    continue;
                }
                schemas++;
                Schema full = REGISTRY.getSchema(schema);
                for (int i = 0; i < 60; i++) {
                    JsonNode made = make(schema, random, 0);
                    boolean madeValid = full.validate(made).isEmpty();
                    if (madeValid) {
                        validMade++;
                        validVouched += lean.surelyValid(made) ? 1 : 0;
                    }
                    JsonNode value = i % 4 == 0 ? made : mutate(made, random);
                    values++;
                    // read as a stream from the value's text, the check answers as it does on the tree
                    assertThat(streamed(lean, value.toString())).as("%s: %s", tool.name(), value)
                            .isEqualTo(lean.surelyValid(value));
                    if (lean.surelyValid(value)) {
                        vouched++;
                        assertThat(full.validate(value)).as("%s: %s", tool.name(), value).isEmpty();
                    }
                }
            }
        }
        // every output schema of the catalog is one the quick check takes, and it vouches for nearly all valid values
        assertThat(schemas).isGreaterThan(40);
        assertThat(values).isGreaterThan(3000);
        assertThat(vouched).isGreaterThan(values / 4);
        assertThat(validVouched).isGreaterThan(validMade * 9 / 10);
    }

    private static boolean streamed(LeanSchema lean, String json) throws Exception {
        try (JsonParser p = JSON.createParser(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return lean.surelyValid(p, null);
        }
    }

    @Test
    void theStreamingCheckReadsOneValueAndTellsTheTopLevelMembers() throws Exception {
        LeanSchema page = LeanSchema.compile(JSON.readTree("""
                {"type": "object", "required": ["items", "next"],
                 "properties": {"items": {"type": "array", "items": {"type": "string", "maxLength": 3}},
                                "next": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]},
                                "tags": {"type": "array", "uniqueItems": true},
                                "kind": {"enum": ["a", "b"]}}}"""));
        assertThat(streamed(page, "{\"items\": [\"ab\"], \"next\": null, \"tags\": [\"x\", \"y\"], \"kind\": \"a\"}"))
                .isTrue();
        assertThat(streamed(page, "{\"items\": [\"abcd\"], \"next\": null}")).isFalse(); // maxLength
        assertThat(streamed(page, "{\"items\": [], \"next\": \"\"}")).isFalse(); // minLength in anyOf
        assertThat(streamed(page, "{\"items\": []}")).isFalse(); // required
        assertThat(streamed(page, "{\"items\": [], \"next\": null, \"tags\": [\"x\", \"x\"]}")).isFalse();
        assertThat(streamed(page, "{\"items\": [], \"next\": null, \"kind\": \"c\"}")).isFalse();
        assertThat(streamed(page, "{\"items\": [], \"next\": null} {}")).isFalse(); // a second value
        for (String broken : List.of("{\"items\": [, \"next\": null}", "{\"items\": [], \"next\": null} x")) {
            assertThatThrownBy(() -> streamed(page, broken)).as(broken)
                    .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        }

        List<String> seen = new ArrayList<>();
        try (JsonParser p = JSON.createParser("{\"items\": [\"a\"], \"next\": \"n1\", \"extra\": {\"next\": \"inner\"}}")) {
            assertThat(page.surelyValid(p, (name, parser, token) -> seen.add(name + "=" + (token == JsonToken.VALUE_STRING
                    ? parser.getText() : token)))).isTrue();
        }
        // only the top level is told, with each value's first token
        assertThat(seen).containsExactly("items=START_ARRAY", "next=n1", "extra=START_OBJECT");
        // a top-level value that only a tree can check: the streaming check cannot tell when it must tell members
        LeanSchema either = LeanSchema.compile(JSON.readTree("{\"anyOf\": [{\"type\": \"object\"}, {\"type\": \"null\"}]}"));
        try (JsonParser p = JSON.createParser("{\"a\": 1}")) {
            assertThat(either.surelyValid(p, (name, parser, token) -> { })).isFalse();
        }
        assertThat(streamed(either, "{\"a\": 1}")).isTrue();
    }

    @Test
    void everyOutputSchemaOfTheCatalogTakesTheQuickCheck() throws Exception {
        for (ToolDefinition tool : tools()) {
            if (tool.outputSchema() != null) {
                assertThat(LeanSchema.compile(tool.outputSchema())).as(tool.name()).isNotNull();
            }
        }
    }

    @Test
    void aPageFromPrefectIsVouchedForAndEachKindOfFaultGoesToTheFullValidator() throws Exception {
        ToolDefinition read = tools().stream().filter(t -> t.name().equals("read-workspace-events")).findFirst()
                .orElseThrow();
        LeanSchema lean = LeanSchema.compile(read.outputSchema());
        ObjectNode page = (ObjectNode) JSON.readTree("""
                {"events": [{"occurred": "2026-12-01T10:00:00.123456Z", "event": "prefect.flow-run.Completed",
                  "resource": {"prefect.resource.id": "prefect.flow-run.1"}, "related": [], "payload": {},
                  "id": "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f", "follows": null,
                  "account": "4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f",
                  "received": "2026-12-01T10:00:01Z"}],
                 "total": 1, "next_page": "http://127.0.0.1:8080/v1/next?page-token=abc", "next_page_token": "abc"}""");
        assertThat(lean.surelyValid(page)).isTrue();

        ObjectNode noEvents = page.deepCopy();
        noEvents.remove("events");
        ObjectNode totalAsText = page.deepCopy();
        totalAsText.put("total", "1");
        ObjectNode totalAsDecimal = page.deepCopy();
        totalAsDecimal.put("total", 1.0); // an integer to JSON Schema: the full validator decides
        ObjectNode eventWithoutId = page.deepCopy();
        ((ObjectNode) eventWithoutId.get("events").get(0)).remove("id");
        for (JsonNode v : List.of(noEvents, totalAsText, totalAsDecimal, eventWithoutId)) {
            assertThat(lean.surelyValid(v)).as(v.toString()).isFalse();
        }
    }

    @Test
    void keywordsItDoesNotKnowLeaveTheSchemaToTheFullValidator() throws Exception {
        assertThat(LeanSchema.compile(JSON.readTree("{\"type\": \"integer\", \"exclusiveMinimum\": 1}"))).isNull();
        assertThat(LeanSchema.compile(JSON.readTree("{\"type\": \"integer\", \"multipleOf\": 2}"))).isNull();
        assertThat(LeanSchema.compile(JSON.readTree("{\"type\": \"string\", \"pattern\": \"(\"}"))).isNull();
        assertThat(LeanSchema.compile(JSON.readTree("{\"properties\": {\"a\": {\"$ref\": \"#/$defs/a\"}}}"))).isNull();
        assertThat(LeanSchema.compile(JSON.readTree("{\"enum\": [1, 2]}"))).isNull();
        assertThat(LeanSchema.compile(JSON.readTree("{\"type\": \"strng\"}"))).isNull();
        LeanSchema limited = LeanSchema.compile(JSON.readTree("{\"type\": \"string\", \"maxLength\": 2}"));
        assertThat(limited.surelyValid(F.textNode("ab"))).isTrue();
        assertThat(limited.surelyValid(F.textNode("abc"))).isFalse();
        LeanSchema unique = LeanSchema.compile(JSON.readTree("{\"type\": \"array\", \"uniqueItems\": true}"));
        assertThat(unique.surelyValid(JSON.readTree("[\"a\", \"b\"]"))).isTrue();
        assertThat(unique.surelyValid(JSON.readTree("[\"a\", \"a\"]"))).isFalse();
        assertThat(unique.surelyValid(JSON.readTree("[1, 1.0]"))).isFalse();
    }

    @Test
    void boundsPatternsAndPositionsAnswerAsTheFullValidatorDoes() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {
                   "limit": {"type": "integer", "minimum": 0, "maximum": 200},
                   "ratio": {"type": "number", "minimum": 0.5, "maximum": 1e3},
                   "id": {"type": "string", "pattern": "^[0-9a-f]{4}$"},
                   "tag": {"type": "string", "pattern": "b+"},
                   "uuid": {"type": "string", "pattern": "%s"},
                   "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
                            "items": {"type": "boolean"}, "minItems": 2, "maxItems": 3}}}""".formatted(
                LeanSchema.UUID_PATTERN));
        LeanSchema lean = LeanSchema.compile(schema);
        assertThat(lean).isNotNull();
        Schema full = REGISTRY.getSchema(schema);
        Map<String, Boolean> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"limit\": 0}", true);
        cases.put("{\"limit\": 200}", true);
        cases.put("{\"limit\": 201}", false);
        cases.put("{\"limit\": -1}", false);
        cases.put("{\"limit\": 99999999999999999999999}", false);
        cases.put("{\"ratio\": 0.5}", true);
        cases.put("{\"ratio\": 0.49999999999999999999}", false); // read as a BigDecimal, as the full check reads it
        cases.put("{\"ratio\": 1000.0}", true);
        cases.put("{\"ratio\": 1e400}", false);
        cases.put("{\"id\": \"0a9f\"}", true);
        cases.put("{\"id\": \"0a9f0\"}", false);
        cases.put("{\"id\": \"0A9F\"}", false);
        cases.put("{\"tag\": \"abba\"}", true); // searched, not anchored
        cases.put("{\"tag\": \"aaa\"}", false);
        cases.put("{\"uuid\": \"9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f\"}", true);
        cases.put("{\"uuid\": \"9B2C3F1E-5D4A-4C6B-8E7F-0A1B2C3D4E5F\"}", true);
        cases.put("{\"uuid\": \"9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f\\n\"}", false);
        cases.put("{\"uuid\": \"x9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f\"}", false);
        cases.put("{\"uuid\": \"9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5\"}", false);
        cases.put("{\"uuid\": \"9b2c3f1e-5d4a-4c6b-8e7f_0a1b2c3d4e5f\"}", false);
        cases.put("{\"uuid\": \"9b2c3f1e-5d4a-4c6b-8e7g-0a1b2c3d4e5f\"}", false);
        cases.put("{\"uuid\": \"9B2C3F1E-5D4A-4C6B-8E7G-0A1B2C3D4E5F\"}", false);
        cases.put("{\"uuid\": \"9b2c3f1e-5d4a-4c6b-8e7/-0a1b2c3d4e5f\"}", false);
        cases.put("{\"pair\": [\"a\", 1]}", true);
        cases.put("{\"pair\": [\"a\", 1, true]}", true);
        cases.put("{\"pair\": [\"a\", 1, 2]}", false); // past the prefix: items
        cases.put("{\"pair\": [1, \"a\"]}", false);
        cases.put("{\"pair\": [\"a\"]}", false);
        cases.put("{\"pair\": [\"a\", 1, true, false]}", false);
        ObjectMapper decimals = new ObjectMapper().enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        for (Map.Entry<String, Boolean> c : cases.entrySet()) {
            JsonNode value = decimals.readTree(c.getKey());
            assertThat(full.validate(value).isEmpty()).as("full: %s", c.getKey()).isEqualTo(c.getValue());
            assertThat(lean.surelyValid(value)).as("tree: %s", c.getKey()).isEqualTo(c.getValue());
            assertThat(streamed(lean, c.getKey())).as("stream: %s", c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void everyToolsArgumentsTakeTheQuickCheck() throws Exception {
        for (ToolDefinition tool : tools()) {
            assertThat(LeanSchema.compile(tool.inputSchema())).as(tool.name()).isNotNull();
        }
    }

    /** A value made from a schema: every property, one branch of each anyOf, an enum's value, lengths in range. */
    private static JsonNode make(JsonNode schema, Random random, int depth) {
        if (schema.isBoolean() || depth > 8) {
            return F.objectNode();
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        if (schema.has("anyOf")) {
            return make(schema.get("anyOf").get(random.nextInt(schema.get("anyOf").size())), random, depth + 1);
        }
        JsonNode type = schema.path("type");
        String t = type.isArray() ? type.get(random.nextInt(type.size())).asText() : type.asText("object");
        switch (t) {
            case "string" -> {
                String format = schema.path("format").asText("");
                String text = switch (format) {
                    case "uuid" -> java.util.UUID.randomUUID().toString();
                    case "date-time" -> "2026-12-0" + (1 + random.nextInt(9)) + "T10:00:00Z";
                    case "uri" -> "https://api.prefect.cloud/x?page-token=" + random.nextInt(1000);
                    default -> "v" + random.nextInt(1000);
                };
                int min = schema.path("minLength").asInt(0);
                int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
                while (text.length() < min) {
                    text += "x";
                }
                return F.textNode(text.length() > max ? text.substring(0, max) : text);
            }
            case "integer" -> {
                int min = schema.path("minimum").asInt(0);
                int max = schema.path("maximum").asInt(min + 99);
                return F.numberNode(min + random.nextInt(Math.max(1, Math.min(100, max - min + 1))));
            }
            case "number" -> {
                return random.nextBoolean() ? F.numberNode(random.nextInt(100)) : F.numberNode(random.nextDouble());
            }
            case "boolean" -> {
                return F.booleanNode(random.nextBoolean());
            }
            case "null" -> {
                return F.nullNode();
            }
            case "array" -> {
                ArrayNode a = F.arrayNode();
                int min = schema.path("minItems").asInt(0);
                int n = min + random.nextInt(Math.max(1, Math.min(3, schema.path("maxItems").asInt(min + 2) - min + 1)));
                JsonNode prefix = schema.path("prefixItems");
                for (int i = 0; i < n; i++) {
                    JsonNode each = i < prefix.size() ? prefix.get(i) : schema.get("items");
                    a.add(each != null ? make(each, random, depth + 1) : F.textNode("i" + i));
                }
                return a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> p = it.next();
                    o.set(p.getKey(), make(p.getValue(), random, depth + 1));
                }
                JsonNode extra = schema.get("additionalProperties");
                if (extra != null && extra.isObject() && random.nextBoolean()) {
                    o.set("extra", make(extra, random, depth + 1));
                }
                return o;
            }
        }
    }

    /** One fault somewhere in the value: a value of another type, a property gone or added, a decimal integer. */
    private static JsonNode mutate(JsonNode value, Random random) {
        JsonNode copy = value.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collect(copy, containers);
        if (containers.isEmpty()) {
            return replacement(random);
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int kind = random.nextInt(3);
            if (kind == 0 && !names.isEmpty()) {
                o.remove(names.get(random.nextInt(names.size())));
            } else if (kind == 1 && !names.isEmpty()) {
                o.set(names.get(random.nextInt(names.size())), replacement(random));
            } else {
                o.set("unexpected_" + random.nextInt(10), replacement(random));
            }
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || random.nextBoolean()) {
                a.add(replacement(random));
            } else {
                a.set(random.nextInt(a.size()), replacement(random));
            }
        }
        return copy;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collect(child, out));
        }
    }

    private static JsonNode replacement(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> F.textNode("not-" + random.nextInt(9));
            case 1 -> F.numberNode(random.nextInt(9));
            case 2 -> F.numberNode(2.0);
            case 3 -> random.nextBoolean() ? F.numberNode(0.5) : F.numberNode(random.nextBoolean() ? -1 : 100000);
            case 4 -> F.nullNode();
            case 5 -> F.booleanNode(true);
            default -> random.nextBoolean() ? F.objectNode() : F.arrayNode().add(1);
        };
    }
}
