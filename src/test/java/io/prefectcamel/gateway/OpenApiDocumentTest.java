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

/** The facade serves its own OpenAPI document, as JSON and as YAML, the same as the one it is built from. */
class OpenApiDocumentTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final String CLASSPATH_DOCUMENT = "openapi/prefect-camel-openapi.yaml";
    private static final List<String> OPERATIONS = OperationCatalog.entries().stream().map(OperationCatalog.Entry::id)
            .toList();

    private static String classpathDocument() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(CLASSPATH_DOCUMENT)) {
            assertThat(in).as(CLASSPATH_DOCUMENT).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
        JsonNode original = new ObjectMapper(new YAMLFactory()).readTree(classpathDocument());
        assertThat(served).isEqualTo(original);
        assertThat(served.path("openapi").asText()).startsWith("3.");
        assertThat(operationIds(served)).containsExactlyInAnyOrderElementsOf(OPERATIONS);
        assertThat(served.path("paths").fieldNames()).toIterable()
                .allSatisfy(path -> assertThat(path).matches("/v1/api/.*|/v1/operations"));
    }

    @Test
    void theYamlDocumentIsTheClasspathDocument() throws Exception {
        HttpResponse<String> answer = facade.client().get("/v1/openapi.yaml");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("yaml"));
        assertThat(answer.body()).isEqualTo(classpathDocument());
        assertThat(operationIds(new ObjectMapper(new YAMLFactory()).readTree(answer.body())))
                .containsExactlyInAnyOrderElementsOf(OPERATIONS);
    }

    @Test
    void theDocumentIsOnlyServedToGet() {
        HttpResponse<String> answer = facade.client().post("/v1/openapi.json", "{}");

        assertThat(answer.statusCode()).isIn(404, 405);
        assertThat(answer.body()).doesNotContain("openapi");
    }
}
