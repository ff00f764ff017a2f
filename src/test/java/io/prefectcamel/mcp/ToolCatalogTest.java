package io.prefectcamel.mcp;

import java.io.InputStream;
import io.prefectcamel.testing.OperationCatalog;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tool list derived from the facade's OpenAPI document, without a server. */
class ToolCatalogTest {

    private static ToolCatalog catalog(Map<String, String> properties) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties props = new Properties();
            props.putAll(properties);
            context.getPropertiesComponent().setInitialProperties(props);
            McpSettings settings = McpSettings.from(context);
            try (InputStream in = ToolCatalogTest.class.getResourceAsStream("/openapi/prefect-camel-openapi.yaml")) {
                return ToolCatalog.build(ToolCatalog.readDocument(in), settings);
            }
        }
    }

    @Test
    void everyOperationWithXMcpBecomesATool() throws Exception {
        List<ToolDefinition> tools = catalog(Map.of()).tools();
        assertThat(tools).extracting(ToolDefinition::name)
                .containsExactlyInAnyOrderElementsOf(OperationCatalog.defaultToolNames());
        assertThat(tools).extracting(ToolDefinition::operationId).isSubsetOf(
                OperationCatalog.prefectOperations().map(OperationCatalog.Entry::id).toList());
        assertThat(tools).allSatisfy(t -> {
            assertThat(t.inputSchema().toString()).doesNotContain("$ref").doesNotContain("x-");
            if (t.outputSchema() != null) {
                assertThat(t.outputSchema().toString()).doesNotContain("$ref");
            }
        });
    }

    @Test
    void everyToolOfEveryToolsetHasAUsableSchema() throws Exception {
        List<ToolDefinition> tools = catalog(Map.of("mcp.toolsets", "events,admin")).tools();
        assertThat(tools).extracting(ToolDefinition::name).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(OperationCatalog.toolNames(List.of("events", "admin"), false))
                .allSatisfy(n -> assertThat(n).matches("[a-z0-9-]{1,64}"));
        assertThat(tools).allSatisfy(t -> {
            assertThat(t.inputSchema().path("type").asText()).isEqualTo("object");
            assertThat(t.inputSchema().toString()).as(t.name()).doesNotContain("$ref");
            assertThat(t.description()).as(t.name()).isNotBlank();
            if (t.outputSchema() != null) {
                assertThat(t.outputSchema().path("type").asText()).as(t.name() + " output").isEqualTo("object");
                assertThat(t.outputSchema().toString()).as(t.name()).doesNotContain("$ref");
            }
            if (t.readOnly()) {
                assertThat(t.destructive()).as(t.name()).isFalse();
            }
        });
    }

    @Test
    void firstPageToolsPointAtTheirPageTools() throws Exception {
        ToolDefinition read = catalog(Map.of()).tools().stream()
                .filter(t -> t.name().equals("read-account-events")).findFirst().orElseThrow();
        assertThat(read.pageToolName()).isEqualTo("read-account-events-page");
        assertThat(read.pageLink()).isEqualTo("next_page");
        // nullable fields stay nullable in outputs
        JsonNode nextPage = read.outputSchema().at("/properties/next_page");
        assertThat(nextPage.toString()).contains("null");
    }

    @Test
    void toolsetsAndReadOnlyNarrowTheList() throws Exception {
        assertThat(catalog(Map.of("mcp.toolsets", "admin")).tools()).extracting(ToolDefinition::name)
                .containsExactlyInAnyOrderElementsOf(OperationCatalog.toolNames(List.of("admin"), false))
                .doesNotContainAnyElementsOf(OperationCatalog.defaultToolNames());
        assertThat(catalog(Map.of("mcp.toolsets", "admin", "mcp.read-only", "true")).tools())
                .extracting(ToolDefinition::name)
                .containsExactlyInAnyOrderElementsOf(OperationCatalog.toolNames(List.of("admin"), true));
        assertThat(catalog(Map.of("mcp.read-only", "true")).tools()).extracting(ToolDefinition::name)
                .containsExactlyInAnyOrderElementsOf(OperationCatalog.toolNames(List.of("events"), true));
        assertThat(catalog(Map.of("mcp.read-only", "true")).tools())
                .allSatisfy(t -> assertThat(t.readOnly()).isTrue());
    }

    @Test
    void instructionsDescribeTheOfferedToolsetsOnly() throws Exception {
        JsonNode document;
        try (InputStream in = ToolCatalogTest.class.getResourceAsStream("/openapi/prefect-camel-openapi.yaml")) {
            document = ToolCatalog.readDocument(in);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            assertThat(ToolCatalog.instructions(document, McpSettings.from(context)))
                    .contains("read-workspace-events").doesNotContain("read-only");
            Properties props = new Properties();
            props.put("mcp.toolsets", "admin");
            props.put("mcp.read-only", "true");
            context.getPropertiesComponent().setInitialProperties(props);
            assertThat(ToolCatalog.instructions(document, McpSettings.from(context)))
                    .doesNotContain("read-workspace-events").contains("read-only");
        }
    }

    @Test
    void snakeCaseNames() {
        assertThat(ToolCatalog.snake("If-None-Match")).isEqualTo("if_none_match");
        assertThat(ToolCatalog.snake("page-token")).isEqualTo("page_token");
        assertThat(ToolCatalog.snake("with_task_runs")).isEqualTo("with_task_runs");
        assertThat(ToolCatalog.snake("flowRunId")).isEqualTo("flow_run_id");
    }

    @Test
    void cursorsRoundTripAndRejectForgeries() {
        assertThat(VertxStreamableTransport.decodeCursor(VertxStreamableTransport.encodeCursor(10))).isEqualTo(10);
        assertThat(VertxStreamableTransport.decodeCursor("xyz")).isNull();
        assertThat(VertxStreamableTransport.decodeCursor("!!")).isNull();
    }
}
