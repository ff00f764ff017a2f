package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dynamic tool mode end to end: the SDK's MCP client against the real service (mcp.tool-mode=dynamic) on the
 * Prefect sandbox. An agent lists the three tools, searches for what it wants, describes the operation found and
 * runs it with call-operation; what it counts is what it recorded, through call-operation too.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpDiscoveryEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PrefectSandbox sandbox;
    private ServiceUnderTest service;
    private McpSyncClient client;

    @BeforeAll
    void start() {
        sandbox = PrefectSandbox.builder().seed(false).apiKey(TestKey.VALUE).build().start();
        service = McpEndToEndTest.startService(sandbox, Map.of("mcp.tool-mode", "dynamic"));
        client = McpEndToEndTest.connect(service);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (client != null) {
                client.closeGracefully();
            }
            if (service != null) {
                service.stop();
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) throws Exception {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(TestKey.isIn(JSON.writeValueAsString(r))).as("%s's result holds the key", tool).isFalse();
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void listSearchDescribeAndCallAnOperation() throws Exception {
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrder("search-operations", "describe-operation", "call-operation");

        // record three events through call-operation, found by searching for it
        McpSchema.CallToolResult found = call("search-operations", Map.of("query", "send events to my workspace"));
        assertThat(McpDiscoveryTest.tools(found)).first().isEqualTo("create-workspace-events");
        String prefix = "e2e.discovery." + UUID.randomUUID().toString().substring(0, 8) + ".";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Map<String, Object>> events = List.of(event(prefix + "a", now), event(prefix + "a", now),
                event(prefix + "b", now));
        McpSchema.CallToolResult created = call("call-operation", Map.of("operation", "create-workspace-events",
                "arguments", Map.of("events", events)));
        assertThat(created.isError()).as(McpDiscoveryTest.text(created)).isNotEqualTo(Boolean.TRUE);
        assertThat(McpDiscoveryTest.text(created)).contains("Recorded 3 event(s)");

        // count them by name: search, describe, call
        found = call("search-operations", Map.of("query", "count workspace events by event name", "limit", 3));
        assertThat(McpDiscoveryTest.tools(found)).first().isEqualTo("count-workspace-events");
        McpSchema.CallToolResult described = call("describe-operation", Map.of("operation", "count-workspace-events"));
        Map<String, Object> description = (Map<String, Object>) described.structuredContent();
        assertThat(description).containsEntry("prefect_path",
                "/api/accounts/{account_id}/workspaces/{workspace_id}/events/count-by/{countable}");
        assertThat((Map<String, Object>) ((Map<String, Object>) description.get("input_schema")).get("properties"))
                .containsKeys("countable", "filter");

        Map<String, Object> filter = Map.of(
                "occurred", Map.of("since", now.minus(1, ChronoUnit.HOURS).toString(),
                        "until", now.plus(1, ChronoUnit.HOURS).toString()),
                "event", Map.of("prefix", List.of(prefix)));
        McpSchema.CallToolResult counted = call("call-operation", Map.of("operation", "count-workspace-events",
                "arguments", Map.of("countable", "event", "filter", filter)));
        assertThat(counted.isError()).as(McpDiscoveryTest.text(counted)).isNotEqualTo(Boolean.TRUE);
        List<Map<String, Object>> counts = (List<Map<String, Object>>) ((Map<String, Object>) counted
                .structuredContent()).get("counts");
        Map<String, Integer> byName = new java.util.HashMap<>();
        counts.forEach(c -> byName.put((String) c.get("value"), ((Number) c.get("count")).intValue()));
        assertThat(byName).containsExactlyInAnyOrderEntriesOf(Map.of(prefix + "a", 2, prefix + "b", 1));
    }

    @Test
    void badArgumentsAndUnknownOperationsAreErrorResults() throws Exception {
        McpSchema.CallToolResult bad = call("call-operation", Map.of("operation", "count-workspace-events",
                "arguments", Map.of("countable", "colour")));
        assertThat(bad.isError()).isTrue();
        assertThat(McpDiscoveryTest.text(bad)).startsWith("Invalid arguments for count-workspace-events");
        McpSchema.CallToolResult unknown = call("describe-operation", Map.of("operation", "count-everything"));
        assertThat(unknown.isError()).isTrue();
        assertThat(McpDiscoveryTest.text(unknown)).contains("search-operations");
        assertThat(call("search-operations", Map.of("query", "tags", "limit", 0)).isError()).isTrue();
    }

    private static Map<String, Object> event(String name, Instant at) {
        return Map.of("id", UUID.randomUUID().toString(), "occurred", at.toString(), "event", name,
                "resource", Map.of("prefect.resource.id", "e2e.discovery.thing"));
    }
}
