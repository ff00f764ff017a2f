package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import org.junit.jupiter.api.Test;

/** The tool schema checks: JSON Schema 2020-12 on trees, maps and text, each schema compiled once. */
class ToolSchemaValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> schema = Map.of(
            "type", "object",
            "required", List.of("events"),
            "properties", Map.of(
                    "events", Map.of("type", "array", "items", Map.of("type", "object")),
                    "next_page", Map.of("type", List.of("string", "null"), "format", "uri")),
            "additionalProperties", false);

    @Test
    void checksTreesMapsAndText() throws Exception {
        ToolSchemaValidator v = new ToolSchemaValidator(JSON);
        assertThat(v.validate(schema, JSON.readTree("{\"events\": [{}], \"next_page\": null}")).valid()).isTrue();
        assertThat(v.validate(schema, Map.of("events", List.of())).valid()).isTrue();
        assertThat(v.validate(schema, "{\"events\": []}").valid()).isTrue();

        ValidationResponse notAList = v.validate(schema, JSON.readTree("{\"events\": \"none\"}"));
        assertThat(notAList.valid()).isFalse();
        assertThat(notAList.errorMessage()).startsWith("Validation failed").contains("events");
        assertThat(v.validate(schema, JSON.readTree("{}")).valid()).isFalse();
        assertThat(v.validate(schema, JSON.readTree("{\"events\": [], \"extra\": 1}")).valid()).isFalse();
        assertThat(v.validate(schema, JSON.readTree("{\"events\": [1]}")).valid()).isFalse();
        assertThat(v.validate(schema, "not json").valid()).isFalse();
    }

    @Test
    void compilesEachSchemaOnceAndTellsEqualSchemasApartByInstance() throws Exception {
        ToolSchemaValidator v = new ToolSchemaValidator(JSON);
        for (int i = 0; i < 50; i++) {
            assertThat(v.validate(schema, JSON.readTree("{\"events\": []}")).valid()).isTrue();
        }
        assertThat(v.cachedSchemas()).isEqualTo(1);
        Map<String, Object> stricter = Map.of("type", "object", "required", List.of("total"));
        assertThat(v.validate(stricter, JSON.readTree("{\"events\": []}")).valid()).isFalse();
        assertThat(v.cachedSchemas()).isEqualTo(2);
    }

    @Test
    void aToolSchemaThatIsNoJsonSchemaIsRefusedAtRegistration() {
        ToolSchemaValidator v = new ToolSchemaValidator(JSON);
        assertThat(v.validateSchema(schema).valid()).isTrue();
        assertThat(v.validateSchema(Map.of("type", "strng")).valid()).isFalse();
    }
}
