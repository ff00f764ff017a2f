package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * The served document holds no YAML anchor, alias or merge key, and no trace of one (Jackson alone reads
 * {@code content: *id001} as the string "id001"), whatever the source file uses.
 */
class OpenApiDocumentAliasesTest {

    private static final String ALIASED = """
            openapi: 3.1.0
            info:
              title: aliased
              version: 1.0.0
            paths: {}
            components:
              schemas:
                Base: &base
                  type: object
                  description: shared
                Derived:
                  <<: *base
                  description: own
                Dates:
                  type: string
                  example: 2026-05-01
                  enum: [yes, 'no', 0x1F, 12, 1.5, true, ~]
              responses:
                NotJson:
                  description: not JSON
                  headers: &id002
                    X-Request-Id:
                      schema: {type: string}
                  content: &id001
                    application/problem+json:
                      schema:
                        type: object
                        properties:
                          status: {type: integer}
                TooLarge:
                  description: too large
                  headers: *id002
                  content: *id001
                BadGateway:
                  description: bad gateway
                  content: *id001
            """;

    /** Whether YAML text uses an anchor, an alias or a merge key, by SnakeYAML's events. */
    private static boolean anchored(String yaml) {
        for (Event e : new Yaml().parse(new StringReader(yaml))) {
            if (e instanceof AliasEvent || e instanceof NodeEvent n && n.getAnchor() != null
                    || e instanceof ScalarEvent s && s.getValue().equals("<<") && s.getImplicit().canOmitTagInPlainScalar()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(child -> out.addAll(texts(child)));
        return out;
    }

    @Test
    void aliasesAreServedAsWhatTheirAnchorsName() throws Exception {
        OpenApiDocument document = new OpenApiDocument(ALIASED);

        JsonNode json = new ObjectMapper().readTree(document.jsonText());
        JsonNode responses = json.path("components").path("responses");
        JsonNode content = responses.path("NotJson").path("content");
        assertThat(content.path("application/problem+json").path("schema").path("properties").path("status")
                .path("type").asText()).isEqualTo("integer");
        assertThat(responses.path("TooLarge").path("content")).isEqualTo(content);
        assertThat(responses.path("BadGateway").path("content")).isEqualTo(content);
        assertThat(responses.path("TooLarge").path("headers")).isEqualTo(responses.path("NotJson").path("headers"));
        assertThat(texts(json)).doesNotContain("id001", "id002", "base");
    }

    @Test
    void mergeKeysAreApplied() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new OpenApiDocument(ALIASED).jsonText());

        JsonNode derived = json.path("components").path("schemas").path("Derived");
        assertThat(derived.has("<<")).isFalse();
        assertThat(derived.path("type").asText()).isEqualTo("object");
        assertThat(derived.path("description").asText()).as("the explicit key wins").isEqualTo("own");
    }

    @Test
    void scalarsAreTypedAsJacksonTypesThemForTheRestDsl() throws Exception {
        JsonNode dates = new ObjectMapper().readTree(new OpenApiDocument(ALIASED).jsonText())
                .path("components").path("schemas").path("Dates");

        JsonNode expected = new ObjectMapper(new YAMLFactory()).readTree(ALIASED)
                .path("components").path("schemas").path("Dates");
        assertThat(dates).as("as Jackson reads the same scalars").isEqualTo(expected);
    }

    @Test
    void theYamlFormHasNoAnchorsAndSaysTheSameAsTheJson() throws Exception {
        OpenApiDocument document = new OpenApiDocument(ALIASED);

        assertThat(anchored(ALIASED)).as("the source uses anchors").isTrue();
        assertThat(anchored(document.yamlText())).as(document.yamlText()).isFalse();
        JsonNode fromYaml = new ObjectMapper(new YAMLFactory()).readTree(document.yamlText());
        assertThat(fromYaml).isEqualTo(new ObjectMapper().readTree(document.jsonText()));
    }

    @Test
    void aSourceWithoutAnchorsIsServedAsItIs() {
        String plain = """
                # a comment that stays
                openapi: 3.1.0
                info: {title: plain, version: 1.0.0}
                paths: {}
                """;

        assertThat(new OpenApiDocument(plain).yamlText()).isEqualTo(plain);
    }

    @Test
    void theClasspathDocumentIsServedWithoutAnchors() throws Exception {
        OpenApiDocument document = new OpenApiDocument();

        assertThat(anchored(document.yamlText())).isFalse();
        assertThat(texts(new ObjectMapper().readTree(document.jsonText())))
                .noneMatch(t -> t.matches("id[0-9]{3}"));
    }

    @Test
    void aRecursiveAliasOrADuplicateKeyStopsTheStart() {
        assertThatThrownBy(() -> new OpenApiDocument("openapi: 3.1.0\nloop: &a\n  - *a\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Recursive");
        assertThatThrownBy(() -> new OpenApiDocument("openapi: 3.1.0\ninfo: {}\ninfo: {}\n"))
                .hasMessageContaining("info");
    }
}
