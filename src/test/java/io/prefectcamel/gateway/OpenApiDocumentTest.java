package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.OperationCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The facade serves its own OpenAPI document, as JSON and as YAML, saying the same as the one it is built from (with
 * YAML aliases resolved: see OpenApiDocumentAliasesTest).
 */
class OpenApiDocumentTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final String CLASSPATH_DOCUMENT = "openapi/prefect-camel-openapi.yaml";
    /** Every operation of the catalog, Prefect's and the facade's own. */
    private static final List<String> OPERATIONS = OperationCatalog.entries().stream().map(OperationCatalog.Entry::id)
            .toList();

    private static String classpathDocument() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(CLASSPATH_DOCUMENT)) {
            assertThat(in).as(CLASSPATH_DOCUMENT).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The document as SnakeYAML builds it (aliases resolved to the objects their anchors name), as JSON. */
    private static JsonNode resolved(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10_000);
        return new ObjectMapper().valueToTree(new Yaml(new SafeConstructor(options)).load(yaml));
    }

    private static List<String> operationIds(JsonNode document) {
        List<String> ids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            for (JsonNode operation : paths.next().getValue()) {
                ids.add(operation.path("operationId").asText());
            }
        }
        return ids;
    }

    @Test
    void theJsonDocumentIsTheClasspathDocument() throws Exception {
        HttpResponse<String> answer = facade.client().get("/v1/openapi.json");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode served = new ObjectMapper().readTree(answer.body());
        assertThat(served).as("the classpath document with its aliases resolved").isEqualTo(resolved(classpathDocument()));
        assertThat(served.path("openapi").asText()).startsWith("3.");
        assertThat(served.path("paths").size()).as("paths (one per facade path, several methods each)")
                .isEqualTo(OperationCatalog.entries().stream().map(OperationCatalog.Entry::facadePath).distinct().count());
        assertThat(operationIds(served)).containsExactlyInAnyOrderElementsOf(OPERATIONS);
        assertThat(served.path("paths").fieldNames()).toIterable()
                .allSatisfy(path -> assertThat(path).matches("/v1/api/.*|/v1/operations"));
    }

    @Test
    void theYamlDocumentIsTheClasspathDocument() throws Exception {
        HttpResponse<String> answer = facade.client().get("/v1/openapi.yaml");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("yaml"));
        JsonNode served = new ObjectMapper(new YAMLFactory()).readTree(answer.body());
        assertThat(served).as("the classpath document with its aliases resolved").isEqualTo(resolved(classpathDocument()));
        assertThat(operationIds(served)).containsExactlyInAnyOrderElementsOf(OPERATIONS);
    }

    @Test
    void theDocumentIsOnlyServedToGet() {
        HttpResponse<String> answer = facade.client().post("/v1/openapi.json", "{}");

        assertThat(answer.statusCode()).isIn(404, 405);
        assertThat(answer.body()).as("not the document").doesNotContain("\"paths\"").doesNotContain("3.1.0");
    }
}
