package io.prefectcamel.mcp;

import static io.prefectcamel.mcp.StandInRoutes.ACCOUNT;
import static io.prefectcamel.mcp.StandInRoutes.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.testing.OperationCatalog;
import org.junit.jupiter.api.Test;

/**
 * The discovery tools (search-operations, describe-operation, call-operation) through a real MCP client against
 * stand-in routes, in both tool modes, with toolsets, read-only mode and a caller filter narrowing what is found.
 */
class McpDiscoveryTest {

    private static final Map<String, String> IDS = Map.of("prefect.account-id", ACCOUNT,
            "prefect.workspace-id", WORKSPACE);

    private static McpHarness harness(String... properties) throws Exception {
        Map<String, String> p = new HashMap<>(IDS);
        for (int i = 0; i < properties.length; i += 2) {
            p.put(properties[i], properties[i + 1]);
        }
        return new McpHarness(p);
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    static String text(McpSchema.CallToolResult r) {
        return r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> results(McpSchema.CallToolResult r) {
        assertThat(r.isError()).as(text(r)).isNotEqualTo(Boolean.TRUE);
        return (List<Map<String, Object>>) ((Map<String, Object>) r.structuredContent()).get("results");
    }

    static List<String> tools(McpSchema.CallToolResult r) {
        return results(r).stream().map(m -> (String) m.get("tool")).toList();
    }

    private static Map<String, McpSchema.Tool> listed(McpSyncClient client) {
        return client.listTools().tools().stream().collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
    }

    @Test
    void theDefaultModeListsTheOperationsAndSearch() throws Exception {
        try (McpHarness h = harness()) {
            McpSyncClient client = h.client();
            Map<String, McpSchema.Tool> tools = listed(client);
            assertThat(tools.keySet()).containsExactlyInAnyOrderElementsOf(OperationCatalog.defaultListedToolNames());
            McpSchema.ToolAnnotations a = tools.get(DiscoveryTools.SEARCH).annotations();
            assertThat(List.of(a.readOnlyHint(), a.destructiveHint(), a.idempotentHint(), a.openWorldHint()))
                    .containsExactly(true, false, true, false);
            assertThat(tools.get(DiscoveryTools.SEARCH).outputSchema()).containsEntry("type", "object");
            assertThat(client.initialize().instructions()).contains("search-operations finds the tool");

            McpSchema.CallToolResult found = call(client, DiscoveryTools.SEARCH,
                    Map.of("query", "how many events per day in the workspace"));
            assertThat(tools(found)).first().isEqualTo("count-workspace-events");
            assertThat(results(found).get(0)).containsEntry("prefect_method", "POST")
                    .containsEntry("prefect_path", "/api/accounts/{account_id}/workspaces/{workspace_id}/events/count-by/{countable}")
                    .containsEntry("method", "POST").containsKey("score");
            assertThat(text(found)).contains("count-workspace-events");
            // admin is off by default: a service account is not to be found
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "create a service account", "limit", 50))))
                    .doesNotContain("create-bot").allSatisfy(t -> assertThat(tools).containsKey(t));
            // an empty query lists every operation offered, once each (aliases are the same operation)
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", ""))))
                    .containsExactlyInAnyOrderElementsOf(OperationCatalog.prefectOperations()
                            .filter(e -> "events".equals(e.toolset())).map(OperationCatalog.Entry::tool).toList());
            client.closeGracefully();
        }
    }

    @Test
    void badSearchInputIsAnErrorResultThatSaysWhatToFix() throws Exception {
        try (McpHarness h = harness()) {
            McpSyncClient client = h.client();
            for (Object limit : List.of(0, 51, -3, 2.5, "five")) {
                McpSchema.CallToolResult r = call(client, DiscoveryTools.SEARCH, Map.of("query", "tags", "limit", limit));
                assertThat(r.isError()).as("limit " + limit).isTrue();
                assertThat(text(r)).contains("limit").contains("1 to 50");
            }
            assertThat(call(client, DiscoveryTools.SEARCH, Map.of("query", "x".repeat(501))).isError()).isTrue();
            assertThat(call(client, DiscoveryTools.SEARCH, Map.of("query", 42)).isError()).isTrue();
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "tags", "limit", 1)))).hasSize(1);
            client.closeGracefully();
        }
    }

    @Test
    void theDynamicModeListsOnlyTheThreeDiscoveryTools() throws Exception {
        try (McpHarness h = harness("mcp.tool-mode", "dynamic")) {
            McpSyncClient client = h.client();
            Map<String, McpSchema.Tool> tools = listed(client);
            assertThat(tools.keySet()).containsExactlyInAnyOrder(DiscoveryTools.SEARCH, DiscoveryTools.DESCRIBE,
                    DiscoveryTools.CALL);
            McpSchema.ToolAnnotations d = tools.get(DiscoveryTools.DESCRIBE).annotations();
            assertThat(List.of(d.readOnlyHint(), d.destructiveHint(), d.idempotentHint(), d.openWorldHint()))
                    .containsExactly(true, false, true, false);
            McpSchema.ToolAnnotations c = tools.get(DiscoveryTools.CALL).annotations();
            assertThat(c.readOnlyHint()).as("call-operation may run writes").isFalse();
            assertThat(c.destructiveHint()).as("delete-workspace-tag is among them").isTrue();
            assertThat(c.openWorldHint()).isTrue();
            assertThat(client.initialize().instructions()).contains("search-operations").contains("call-operation");
            // the operations' own tools are not there to call
            assertThatThrownBy(() -> call(client, "count-workspace-events", Map.of("countable", "day")))
                    .isInstanceOf(McpError.class);
            client.closeGracefully();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void describeGivesSchemasHintsAndAnExampleThatCallOperationRuns() throws Exception {
        try (McpHarness h = harness("mcp.tool-mode", "dynamic")) {
            McpSyncClient client = h.client();
            McpSchema.CallToolResult d = call(client, DiscoveryTools.DESCRIBE, Map.of("operation", "count-workspace-events"));
            assertThat(d.isError()).as(text(d)).isNotEqualTo(Boolean.TRUE);
            Map<String, Object> described = (Map<String, Object>) d.structuredContent();
            assertThat(described).containsEntry("operation", "count-workspace-events")
                    .containsEntry("operation_id", "countWorkspaceEvents").containsEntry("toolset", "events")
                    .containsEntry("prefect_method", "POST");
            Map<String, Object> input = (Map<String, Object>) described.get("input_schema");
            assertThat((Map<String, Object>) input.get("properties")).containsKeys("countable", "account_id",
                    "workspace_id", "filter");
            assertThat((Map<String, Object>) described.get("output_schema")).containsEntry("type", "object");
            assertThat((Map<String, Object>) described.get("annotations")).containsEntry("readOnlyHint", true)
                    .containsEntry("destructiveHint", false).containsEntry("idempotentHint", true)
                    .containsEntry("openWorldHint", true);
            Map<String, Object> example = (Map<String, Object>) described.get("example");
            assertThat(example).containsEntry("tool", DiscoveryTools.CALL);

            // the example, as given, runs
            McpSchema.CallToolResult r = call(client, DiscoveryTools.CALL, (Map<String, Object>) example.get("arguments"));
            assertThat(r.isError()).as(text(r)).isNotEqualTo(Boolean.TRUE);
            assertThat(((Map<String, Object>) r.structuredContent())).containsKey("counts");
            assertThat(h.standIns.received).containsKey("countWorkspaceEvents");
            // an alias or the operationId name the same operation
            assertThat(call(client, DiscoveryTools.DESCRIBE, Map.of("operation", "create-account-events-2"))
                    .structuredContent()).asString().contains("createAccountEvents");
            assertThat(call(client, DiscoveryTools.DESCRIBE, Map.of("operation", "countWorkspaceEvents")).isError())
                    .isNotEqualTo(Boolean.TRUE);
            client.closeGracefully();
        }
    }

    @Test
    void callOperationAnswersExactlyAsTheOperationsOwnTool() throws Exception {
        List<Map<String, Object>> calls = List.of(
                Map.of("countable", "nope"),                              // not in the enum
                Map.of("countable", "day", "workspace_id", "not-a-uuid"),  // bad id
                Map.of("countable", "day", "surprise", 1),                 // unknown argument
                Map.of("countable", "day"));                               // fine
        Map<Map<String, Object>, String> direct = new HashMap<>();
        try (McpHarness h = harness()) {
            McpSyncClient client = h.client();
            for (Map<String, Object> args : calls) {
                McpSchema.CallToolResult r = call(client, "count-workspace-events", args);
                direct.put(args, r.isError() + " " + text(r) + " " + r.structuredContent());
            }
            client.closeGracefully();
        }
        try (McpHarness h = harness("mcp.tool-mode", "dynamic")) {
            McpSyncClient client = h.client();
            for (Map<String, Object> args : calls) {
                McpSchema.CallToolResult r = call(client, DiscoveryTools.CALL,
                        Map.of("operation", "count-workspace-events", "arguments", args));
                assertThat(r.isError() + " " + text(r) + " " + r.structuredContent()).as(args.toString())
                        .isEqualTo(direct.get(args));
            }
            assertThat(direct.get(calls.get(0))).startsWith("true Invalid arguments for count-workspace-events");
            assertThat(direct.get(calls.get(3))).startsWith("false ");
            client.closeGracefully();
        }
    }

    @Test
    void unknownOperationsAreErrorResultsThatPointAtSearch() throws Exception {
        try (McpHarness h = harness("mcp.tool-mode", "dynamic")) {
            McpSyncClient client = h.client();
            for (String tool : List.of(DiscoveryTools.DESCRIBE, DiscoveryTools.CALL)) {
                McpSchema.CallToolResult r = call(client, tool, Map.of("operation", "count-workspace-eventz"));
                assertThat(r.isError()).isTrue();
                assertThat(text(r)).contains("Unknown operation 'count-workspace-eventz'").contains("search-operations")
                        .contains("count-workspace-events");
                // admin is not offered here: its operations are unknown, not callable
                assertThat(text(call(client, tool, Map.of("operation", "create-bot")))).contains("Unknown operation");
                McpSchema.CallToolResult missing = call(client, tool, Map.of());
                assertThat(missing.isError()).isTrue();
                assertThat(text(missing)).contains("`operation` is required");
            }
            McpSchema.CallToolResult badArgs = call(client, DiscoveryTools.CALL,
                    Map.of("operation", "list-tags", "arguments", "limit=5"));
            assertThat(badArgs.isError()).isTrue();
            assertThat(text(badArgs)).contains("`arguments` must be an object");
            assertThat(h.standIns.received).isEmpty();
            client.closeGracefully();
        }
    }

    @Test
    void readOnlyServersOfferOnlyReadsToSearchDescribeAndCall() throws Exception {
        try (McpHarness h = harness("mcp.tool-mode", "dynamic", "mcp.read-only", "true")) {
            McpSyncClient client = h.client();
            McpSchema.ToolAnnotations c = listed(client).get(DiscoveryTools.CALL).annotations();
            assertThat(c.readOnlyHint()).isTrue();
            assertThat(c.destructiveHint()).isFalse();
            List<String> found = tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "delete a tag", "limit", 50)));
            assertThat(found).contains("list-tags").doesNotContain("delete-workspace-tag", "create-workspace-events");
            McpSchema.CallToolResult r = call(client, DiscoveryTools.CALL, Map.of("operation", "delete-workspace-tag",
                    "arguments", Map.of("tag", "etl")));
            assertThat(r.isError()).isTrue();
            assertThat(text(r)).contains("Unknown operation").contains("read-only");
            assertThat(h.standIns.received).isEmpty();
            client.closeGracefully();
        }
    }

    @Test
    void enabledToolsetsAreSearched() throws Exception {
        try (McpHarness h = harness("mcp.tool-mode", "dynamic", "mcp.toolsets", "events,admin")) {
            McpSyncClient client = h.client();
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "create a service account"))))
                    .first().isEqualTo("create-bot");
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "who am I")))).first()
                    .isEqualTo("read-my-profile");
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "")))).hasSize(
                    (int) OperationCatalog.prefectOperations().count());
            client.closeGracefully();
        }
    }

    @Test
    void aCallerFilterNarrowsWhatIsFoundDescribedAndCalled() throws Exception {
        try (McpHarness h = harness("mcp.tool-mode", "dynamic")) {
            Predicate<ToolDefinition> noCreates = t -> !t.name().startsWith("create-");
            h.service.discoveryTools().callerFilter(exchange -> noCreates);
            McpSyncClient client = h.client();
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", "emit an event", "limit", 50))))
                    .isNotEmpty().noneMatch(t -> t.startsWith("create-"));
            assertThat(tools(call(client, DiscoveryTools.SEARCH, Map.of("query", ""))))
                    .noneMatch(t -> t.startsWith("create-"));
            assertThat(call(client, DiscoveryTools.DESCRIBE, Map.of("operation", "create-workspace-events")).isError())
                    .isTrue();
            assertThat(call(client, DiscoveryTools.CALL, Map.of("operation", "create-workspace-events", "arguments",
                    Map.of("events", List.of()))).isError()).isTrue();
            assertThat(h.standIns.received).isEmpty();
            client.closeGracefully();
        }
    }

    @Test
    void aBadToolModeIsRefusedAtStart() {
        assertThatThrownBy(() -> harness("mcp.tool-mode", "some")).hasStackTraceContaining("mcp.tool-mode");
    }
}
