package io.prefectcamel.mcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.OperationCatalog;
import io.prefectcamel.testing.OperationCatalog.Entry;
import io.prefectcamel.testing.SampleRequests;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tool of every toolset, through the MCP Java SDK client against the real service with WireMock as Prefect:
 * valid arguments made from the tool's own input schema reach exactly the catalog's Prefect operation (method, path
 * with the arguments' ids), with the service's key, and Prefect's answer comes back as the tool's result.
 */
class McpCatalogToolsTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
            .property("mcp.enabled", "true")
            .property("mcp.host", "127.0.0.1")
            .property("mcp.toolsets", "events,admin");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static McpSyncClient client;
    private static JsonNode document;
    private static Map<String, McpSchema.Tool> tools;

    @BeforeAll
    static void connect() throws Exception {
        client = McpEndToEndTest.connect(facade.service());
        document = new ObjectMapper(new YAMLFactory())
                .readTree(Paths.get("src/main/resources/openapi/prefect-camel-openapi.yaml").toFile());
        tools = new java.util.HashMap<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            page.tools().forEach(t -> tools.put(t.name(), t));
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    static Stream<Entry> operations() {
        return OperationCatalog.prefectOperations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void eachToolCallsItsPrefectOperation(Entry entry) throws Exception {
        McpSchema.Tool tool = tools.get(entry.tool());
        assertThat(tool).as("tool " + entry.tool() + " is listed").isNotNull();
        assertThat(tool.annotations().readOnlyHint()).isEqualTo(entry.readOnly());
        assertThat(tool.annotations().destructiveHint()).isEqualTo(entry.destructive());
        assertThat(tool.annotations().idempotentHint()).isEqualTo(entry.idempotent());

        JsonNode op = document.path("paths").path(entry.facadePath()).path(entry.prefectMethod().toLowerCase());
        SampleRequests.Answer success = new SampleRequests(document).success(op);
        String status = Integer.toString(success.status());
        JsonNode answer = success.body();
        facade.prefect().stubFor(any(anyUrl()).willReturn(answer == null ? aResponse().withStatus(Integer.parseInt(status))
                : aResponse().withStatus(Integer.parseInt(status)).withHeader("Content-Type", "application/json")
                        .withBody(SampleRequests.json(answer))));

        JsonNode inputSchema = JSON.valueToTree(tool.inputSchema());
        JsonNode args = new SampleRequests(inputSchema).sample(inputSchema);
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(entry.tool(),
                JSON.convertValue(args, new TypeReference<Map<String, Object>>() { })));

        String text = result.content().toString();
        assertThat(result.isError()).as(entry.tool() + ": " + text).isNotEqualTo(Boolean.TRUE);
        assertThat(TestKey.isIn(text)).isFalse();
        if (tool.outputSchema() != null && answer != null) {
            assertThat(result.structuredContent()).as("structured result of " + entry.tool()).isNotNull();
            // its first text content is the same JSON
            assertThat(JSON.readTree(((McpSchema.TextContent) result.content().get(0)).text()))
                    .as("text of " + entry.tool()).isEqualTo(JSON.valueToTree(result.structuredContent()));
        }
        LoggedRequest upstream = facade.prefect().onlyRequest();
        assertThat(upstream.getMethod().getName()).isEqualTo(entry.prefectMethod());
        String expected = entry.prefectPath();
        for (Iterator<String> names = args.fieldNames(); names.hasNext();) {
            String name = names.next();
            expected = expected.replace("{" + name + "}", args.path(name).asText());
        }
        String url = upstream.getUrl();
        assertThat(url.contains("?") ? url.substring(0, url.indexOf('?')) : url).isEqualTo(expected);
        assertThat(upstream.getHeader("Authorization")).isEqualTo("Bearer " + TestKey.VALUE);
    }
}
