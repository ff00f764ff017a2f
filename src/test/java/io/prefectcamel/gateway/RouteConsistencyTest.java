package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prefectcamel.testing.KeyLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The three descriptions of each operation agree: the templated route in routes/events.camel.yaml, the facade's
 * OpenAPI document ({@code x-prefect-operation}) and Prefect Cloud's own OpenAPI document.
 */
@ExtendWith(KeyLeakCheck.class)
class RouteConsistencyTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private record RouteOperation(String routeId, String template, Map<String, String> parameters) {
        String operationId() {
            return parameters.get("operationId");
        }

        String method() {
            return parameters.get("method");
        }

        String path() {
            return parameters.get("path");
        }
    }

    private static List<RouteOperation> routes;
    private static JsonNode facade;

    @BeforeAll
    static void read() throws IOException {
        routes = new ArrayList<>();
        for (JsonNode entry : YAML.readTree(Paths.get("routes/events.camel.yaml").toFile())) {
            JsonNode route = entry.path("templatedRoute");
            if (route.isMissingNode()) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            route.path("parameters").forEach(p -> parameters.put(p.path("name").asText(), p.path("value").asText()));
            routes.add(new RouteOperation(route.path("routeId").asText(), route.path("routeTemplateRef").asText(), parameters));
        }
        facade = YAML.readTree(Paths.get("src/main/resources/openapi/prefect-camel-openapi.yaml").toFile());
    }

    private static Map<String, JsonNode> facadeOperations() {
        Map<String, JsonNode> operations = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = facade.path("paths").fields(); paths.hasNext();) {
            for (JsonNode operation : paths.next().getValue()) {
                operations.put(operation.path("operationId").asText(), operation);
            }
        }
        return operations;
    }

    private static TreeSet<String> templateParameters(String path) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = TEMPLATE_PARAMETER.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyFacadeOperationHasOneRoute() throws IOException {
        List<String> exports = new ArrayList<>();
        for (JsonNode entry : YAML.readTree(Paths.get("routes/export.camel.yaml").toFile())) {
            JsonNode route = entry.path("templatedRoute");
            if (!route.isMissingNode()) {
                exports.add(route.path("routeId").asText());
            }
        }
        List<String> all = new ArrayList<>(exports);
        routes.forEach(r -> all.add(r.operationId()));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(facadeOperations().keySet());
        assertThat(exports).as("the NDJSON exports follow Prefect's filter pages")
                .containsExactlyInAnyOrder("exportAccountEvents", "exportWorkspaceEvents")
                .allSatisfy(id -> assertThat(facadeOperations().get(id).path("x-prefect-operation").path("follows").asText())
                        .endsWith("/events/filter/next"));
        assertThat(routes).allSatisfy(r -> assertThat(r.routeId()).isEqualTo(r.operationId()));
    }

    @Test
    void everyRouteCallsItsOperationsPrefectOperation() {
        Map<String, JsonNode> operations = facadeOperations();
        assertThat(routes).hasSize(11).allSatisfy(route -> {
            JsonNode prefect = operations.get(route.operationId()).path("x-prefect-operation");
            assertThat(route.method()).as(route.operationId() + " method").isEqualTo(prefect.path("method").asText());
            assertThat(route.path()).as(route.operationId() + " path").isEqualTo(prefect.path("path").asText());
        });
    }

    @Test
    void onlyCreatesAreNotIdempotent() {
        Map<String, JsonNode> operations = facadeOperations();
        assertThat(routes).allSatisfy(route -> {
            String idempotent = route.parameters().getOrDefault("idempotent",
                    route.template().equals("prefect-events-page-operation") ? "true" : null);
            assertThat(idempotent).as(route.operationId() + " idempotent").isNotNull();
            assertThat(Boolean.parseBoolean(idempotent)).as(route.operationId() + " idempotent")
                    .isEqualTo(!route.operationId().startsWith("create"))
                    .isEqualTo(operations.get(route.operationId()).path("x-mcp").path("idempotentHint").asBoolean());
        });
    }

    @Test
    void facadeParametersMapOntoPrefects() {
        Map<String, JsonNode> operations = facadeOperations();
        assertThat(routes).allSatisfy(route -> {
            TreeSet<String> facadePathParameters = new TreeSet<>();
            for (JsonNode p : operations.get(route.operationId()).path("parameters")) {
                if ("path".equals(p.path("in").asText())) {
                    facadePathParameters.add(p.path("name").asText().replace('-', '_'));
                }
            }
            assertThat(facadePathParameters).as(route.operationId() + " path parameters")
                    .isEqualTo(templateParameters(route.path()));
        });
    }

    @Test
    void everyPrefectOperationExistsInPrefectsOwnDocument() throws IOException {
        Path upstream = Paths.get("").toAbsolutePath().getParent().resolve("shared/upstream/prefect-cloud-openapi.json");
        assumeTrue(Files.isRegularFile(upstream), "Prefect's OpenAPI document is not at " + upstream);
        JsonNode prefect = new ObjectMapper().readTree(upstream.toFile());
        Map<String, JsonNode> operations = facadeOperations();

        assertThat(routes).allSatisfy(route -> {
            JsonNode operation = prefect.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
            assertThat(operation.isObject()).as(route.method() + " " + route.path() + " in Prefect's document").isTrue();
            List<String> prefectQuery = new ArrayList<>();
            operation.path("parameters").forEach(p -> {
                if (!"path".equals(p.path("in").asText())) {
                    prefectQuery.add(p.path("in").asText() + ":" + p.path("name").asText().toLowerCase(Locale.ROOT));
                }
            });
            for (JsonNode p : operations.get(route.operationId()).path("parameters")) {
                if (!"path".equals(p.path("in").asText())) {
                    assertThat(prefectQuery).as(route.operationId() + " parameter " + p.path("name").asText())
                            .contains(p.path("in").asText() + ":" + p.path("name").asText().toLowerCase(Locale.ROOT));
                }
            }
        });
    }
}
