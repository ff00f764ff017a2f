package io.prefectcamel.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.testing.OperationCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.prefectcamel.mcp.StandInRoutes.ACCOUNT;
import static io.prefectcamel.mcp.StandInRoutes.FLOW_RUN;
import static io.prefectcamel.mcp.StandInRoutes.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The twelve tools through a real MCP client (the SDK's streamable HTTP client) against stand-in routes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private McpHarness harness;
    private McpSyncClient client;

    @BeforeAll
    void start() throws Exception {
        harness = new McpHarness(Map.of("prefect.api-key", "pnu_secret_key_123"));
        client = harness.client();
    }

    @AfterAll
    void stop() {
        client.closeGracefully();
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.standIns.received.clear();
        harness.standIns.overrides.clear();
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    private static String text(McpSchema.CallToolResult r) {
        return r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    private List<McpSchema.Tool> allTools() {
        List<McpSchema.Tool> tools = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null);
        return tools;
    }

    @Test
    void listsTheTwelveToolsWithHintsAndSelfContainedSchemas() throws Exception {
        List<McpSchema.Tool> tools = allTools().stream()
                .filter(t -> !t.name().equals(OperationCatalog.SEARCH_TOOL)).toList(); // McpDiscoveryTest
        Map<String, McpSchema.Tool> byName = tools.stream().collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
        assertThat(byName).containsOnlyKeys("create-account-events", "create-account-events-2",
                "count-account-events", "read-account-events", "read-account-events-page", "create-workspace-events",
                "count-workspace-events", "read-workspace-events", "read-workspace-events-page",
                "get-events-flow-run", "list-tags", "delete-workspace-tag");

        Map<String, boolean[]> hints = Map.ofEntries(
                Map.entry("create-account-events", new boolean[] {false, false, true}),
                Map.entry("create-account-events-2", new boolean[] {false, false, true}),
                Map.entry("count-account-events", new boolean[] {true, false, true}),
                Map.entry("read-account-events", new boolean[] {true, false, true}),
                Map.entry("read-account-events-page", new boolean[] {true, false, true}),
                Map.entry("create-workspace-events", new boolean[] {false, false, true}),
                Map.entry("count-workspace-events", new boolean[] {true, false, true}),
                Map.entry("read-workspace-events", new boolean[] {true, false, true}),
                Map.entry("read-workspace-events-page", new boolean[] {true, false, true}),
                Map.entry("get-events-flow-run", new boolean[] {true, false, true}),
                Map.entry("list-tags", new boolean[] {true, false, true}),
                Map.entry("delete-workspace-tag", new boolean[] {false, true, true}));
        for (McpSchema.Tool tool : tools) {
            boolean[] h = hints.get(tool.name());
            assertThat(tool.name()).hasSizeLessThanOrEqualTo(64).matches("[a-z0-9-]+");
            assertThat(tool.title()).isNotBlank();
            assertThat(tool.description()).hasSizeGreaterThan(80);
            McpSchema.ToolAnnotations a = tool.annotations();
            assertThat(new boolean[] {a.readOnlyHint(), a.destructiveHint(), a.idempotentHint()})
                    .as(tool.name()).containsExactly(h);
            assertThat(a.openWorldHint()).isTrue();
            String input = JSON.writeValueAsString(tool.inputSchema());
            assertThat(input).doesNotContain("$ref");
            assertThat(tool.inputSchema()).containsEntry("type", "object");
            if (tool.outputSchema() != null) {
                assertThat(JSON.writeValueAsString(tool.outputSchema())).doesNotContain("$ref");
                assertThat(tool.outputSchema()).containsEntry("type", "object");
            }
        }
        // no defaults configured: the ids are required, and typed as UUIDs
        JsonNode read = JSON.valueToTree(byName.get("read-workspace-events").inputSchema());
        assertThat(read.path("required").toString()).contains("account_id", "workspace_id");
        assertThat(read.at("/properties/account_id/format").asText()).isEqualTo("uuid");
        assertThat(read.at("/properties/limit/maximum").asInt()).isEqualTo(200);
        assertThat(read.at("/properties/filter/type").asText()).isEqualTo("object");
        assertThat(read.path("additionalProperties").asBoolean(true)).isFalse();
        JsonNode page = JSON.valueToTree(byName.get("read-workspace-events-page").inputSchema());
        assertThat(page.path("properties").has("page_token")).isTrue();
        JsonNode flow = JSON.valueToTree(byName.get("get-events-flow-run").inputSchema());
        assertThat(flow.path("properties").has("if_none_match")).isTrue();
        assertThat(flow.path("properties").has("with_task_runs")).isTrue();
        assertThat(flow.at("/properties/flow_run_id/format").asText()).isEqualTo("uuid");
        JsonNode count = JSON.valueToTree(byName.get("count-workspace-events").inputSchema());
        assertThat(count.path("properties").has("time_unit")).isTrue();
        assertThat(count.path("properties").has("time_interval")).isTrue();
        assertThat(count.at("/properties/countable/enum").toString()).contains("day", "actor");
        JsonNode create = JSON.valueToTree(byName.get("create-workspace-events").inputSchema());
        assertThat(create.at("/properties/events/type").asText()).isEqualTo("array");
        assertThat(create.at("/properties/events/items/required").toString()).contains("occurred", "resource");
        // outputs: arrays wrapped in an object; no output schema for 204 operations
        assertThat(JSON.valueToTree(byName.get("count-workspace-events").outputSchema()).at("/properties/counts/type")
                .asText()).isEqualTo("array");
        assertThat(JSON.valueToTree(byName.get("get-events-flow-run").outputSchema()).at("/properties/events/type")
                .asText()).isEqualTo("array");
        assertThat(JSON.valueToTree(byName.get("read-workspace-events").outputSchema())
                .at("/properties/next_page_token").isMissingNode()).isFalse();
        assertThat(byName.get("create-workspace-events").outputSchema()).isNull();
        assertThat(byName.get("delete-workspace-tag").outputSchema()).isNull();
        assertThat(byName.get("read-workspace-events").description()).contains("read-workspace-events-page");
    }

    @Test
    void readsPageThenNextPage() throws Exception {
        McpSchema.CallToolResult first = call("read-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "limit", 2,
                "filter", Map.of("occurred", Map.of("since", "2025-06-01T00:00:00Z"))));
        assertThat(first.isError()).as(text(first)).isNotEqualTo(Boolean.TRUE);
        StandInRoutes.Received got = harness.standIns.received.get("readWorkspaceEvents");
        assertThat(got.headers()).containsEntry("account-id", ACCOUNT).containsEntry("workspace-id", WORKSPACE);
        assertThat(JSON.readTree(got.body())).isEqualTo(JSON.readTree(
                "{\"limit\":2,\"filter\":{\"occurred\":{\"since\":\"2025-06-01T00:00:00Z\"}}}"));
        Map<?, ?> structured = (Map<?, ?>) first.structuredContent();
        assertThat((List<?>) structured.get("events")).hasSize(2);
        assertThat(structured.get("next_page_token")).isEqualTo("tok/en=1");
        // the same JSON as text
        assertThat(JSON.readTree(((McpSchema.TextContent) first.content().get(0)).text()))
                .isEqualTo(JSON.valueToTree(structured));
        assertThat(text(first)).contains("read-workspace-events-page");

        McpSchema.CallToolResult next = call("read-workspace-events-page", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "page_token", structured.get("next_page_token")));
        assertThat(next.isError()).as(text(next)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("readWorkspaceEventsPage").headers())
                .containsEntry("page-token", "tok/en=1");
        Map<?, ?> last = (Map<?, ?>) next.structuredContent();
        assertThat((List<?>) last.get("events")).hasSize(1);
        assertThat(last.get("next_page_token")).isNull();
        assertThat(last.containsKey("next_page_token")).isTrue();
        assertThat(JSON.readTree(((McpSchema.TextContent) next.content().get(0)).text()))
                .isEqualTo(JSON.valueToTree(last));
    }

    @Test
    void callsEveryOtherTool() throws Exception {
        String event = "{\"id\":\"55555555-5555-4555-8555-555555555555\",\"occurred\":\"2025-06-01T12:00:00Z\","
                + "\"event\":\"my-app.order.shipped\",\"resource\":{\"prefect.resource.id\":\"my-app.order.42\"}}";
        Object events = JSON.readValue("[" + event + "]", List.class);

        for (String tool : List.of("create-account-events", "create-account-events-2")) {
            harness.standIns.received.clear();
            McpSchema.CallToolResult r = call(tool, Map.of("account_id", ACCOUNT, "events", events));
            assertThat(r.isError()).as(text(r)).isNotEqualTo(Boolean.TRUE);
            assertThat(text(r)).contains("Recorded 1 event");
            StandInRoutes.Received got = harness.standIns.received.get("createAccountEvents");
            assertThat(got.headers()).containsEntry("account-id", ACCOUNT);
            assertThat(JSON.readTree(got.body())).isEqualTo(JSON.readTree("[" + event + "]"));
        }

        McpSchema.CallToolResult created = call("create-workspace-events",
                Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE, "events", events));
        assertThat(created.isError()).as(text(created)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("createWorkspaceEvents").headers())
                .containsEntry("workspace-id", WORKSPACE);

        McpSchema.CallToolResult counted = call("count-account-events", Map.of("account_id", ACCOUNT,
                "countable", "time", "time_unit", "hour", "time_interval", 2));
        assertThat(counted.isError()).as(text(counted)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("countAccountEvents").headers()).containsEntry("countable", "time");
        assertThat(JSON.readTree(harness.standIns.received.get("countAccountEvents").body()))
                .isEqualTo(JSON.readTree("{\"time_unit\":\"hour\",\"time_interval\":2}"));
        assertThat((List<?>) ((Map<?, ?>) counted.structuredContent()).get("counts")).hasSize(1);

        McpSchema.CallToolResult countedWs = call("count-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "countable", "event"));
        assertThat(countedWs.isError()).as(text(countedWs)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("countWorkspaceEvents").body()).isNull();

        McpSchema.CallToolResult readAccount = call("read-account-events", Map.of("account_id", ACCOUNT));
        assertThat(readAccount.isError()).as(text(readAccount)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("readAccountEvents").body()).isNull();
        McpSchema.CallToolResult readAccountPage = call("read-account-events-page",
                Map.of("account_id", ACCOUNT, "page_token", "abc"));
        assertThat(readAccountPage.isError()).as(text(readAccountPage)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("readAccountEventsPage").headers()).containsEntry("page-token", "abc");

        McpSchema.CallToolResult flow = call("get-events-flow-run", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "flow_run_id", FLOW_RUN, "limit", 10, "offset", 5, "order", "ASC",
                "with_task_runs", false));
        assertThat(flow.isError()).as(text(flow)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("getFlowRunEvents").headers())
                .containsEntry("flow-run-id", FLOW_RUN).containsEntry("limit", "10").containsEntry("offset", "5")
                .containsEntry("order", "ASC").containsEntry("with_task_runs", "false");
        assertThat((List<?>) ((Map<?, ?>) flow.structuredContent()).get("events")).hasSize(1);

        McpSchema.CallToolResult notModified = call("get-events-flow-run", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "flow_run_id", FLOW_RUN, "if_none_match", "1"));
        assertThat(notModified.isError()).as(text(notModified)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("getFlowRunEvents").headers()).containsEntry("If-None-Match", "1");
        assertThat(((Map<?, ?>) notModified.structuredContent()).get("not_modified")).isEqualTo(true);

        McpSchema.CallToolResult tags = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE,
                "search", "et", "page", 2, "sort", "NAME_ASC", "limit", 5));
        assertThat(tags.isError()).as(text(tags)).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("listTags").headers()).containsEntry("search", "et")
                .containsEntry("page", "2").containsEntry("sort", "NAME_ASC").containsEntry("limit", "5");
        assertThat((List<?>) ((Map<?, ?>) tags.structuredContent()).get("results")).hasSize(1);

        McpSchema.CallToolResult deleted = call("delete-workspace-tag", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "tag", "etl"));
        assertThat(deleted.isError()).as(text(deleted)).isNotEqualTo(Boolean.TRUE);
        assertThat(text(deleted)).contains("etl");
        assertThat(harness.standIns.received.get("deleteWorkspaceTag").headers()).containsEntry("tag", "etl");
    }

    @Test
    void badIdIsAnErrorResultAndNothingIsCalled() {
        McpSchema.CallToolResult r = call("read-workspace-events", Map.of("account_id", "not-a-uuid",
                "workspace_id", WORKSPACE));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("account_id").contains("UUID");
        assertThat(harness.standIns.received).isEmpty();
    }

    @Test
    void missingIdSaysNoDefaultIsConfigured() {
        McpSchema.CallToolResult r = call("list-tags", Map.of("account_id", ACCOUNT));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("workspace_id").contains("default");
        assertThat(harness.standIns.received).isEmpty();
    }

    @Test
    void outOfRangeLimitIsAnErrorResult() {
        McpSchema.CallToolResult r = call("read-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "limit", 500));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("limit");
        assertThat(harness.standIns.received).isEmpty();
    }

    @Test
    void unknownArgumentIsAnErrorResult() {
        McpSchema.CallToolResult r = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE,
                "colour", "red"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("colour");
    }

    @Test
    void prefect422IsAnErrorResultNamingTheArgument() {
        harness.standIns.overrides.put("readWorkspaceEvents", ex -> StandInRoutes.Reply.json(422,
                "{\"detail\":[{\"loc\":[\"body\",\"filter\",\"occurred\",\"since\"],\"msg\":\"Input should be"
                        + " a valid datetime\",\"type\":\"datetime_parsing\"}]}"));
        McpSchema.CallToolResult r = call("read-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("422").contains("filter.occurred.since").contains("valid datetime");
    }

    @Test
    void rateLimitAndBreakerTellWhenToRetry() {
        harness.standIns.overrides.put("listTags", ex -> StandInRoutes.Reply.problem(429, "Too Many Requests",
                "Prefect rate limit", null, "17"));
        McpSchema.CallToolResult limited = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE));
        assertThat(limited.isError()).isTrue();
        assertThat(text(limited)).contains("17 seconds");

        harness.standIns.overrides.put("listTags", ex -> StandInRoutes.Reply.problem(503, "Service Unavailable",
                "circuit breaker open", null, "30"));
        McpSchema.CallToolResult open = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE));
        assertThat(open.isError()).isTrue();
        assertThat(text(open)).contains("30 seconds").contains("circuit breaker");
    }

    @Test
    void facadeBadRequestNamesTheArgumentAndNeverLeaksTheKey() {
        harness.standIns.overrides.put("listTags", ex -> StandInRoutes.Reply.problem(400, "Bad Request",
                "must be one of NAME_ASC (sent with Bearer pnu_secret_key_123)", "sort", null));
        McpSchema.CallToolResult r = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("`sort`").doesNotContain("pnu_secret_key_123");

        harness.standIns.overrides.put("listTags", ex -> {
            throw new IllegalStateException("boom with pnu_secret_key_123");
        });
        McpSchema.CallToolResult failed = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE));
        assertThat(failed.isError()).isTrue();
        assertThat(text(failed)).doesNotContain("pnu_secret_key_123").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void upstreamFailuresAreErrorResults() {
        harness.standIns.overrides.put("listTags", ex -> StandInRoutes.Reply.problem(504, "Gateway Timeout",
                "Prefect did not answer within 30s", null, null));
        assertThat(text(call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE))))
                .contains("did not answer in time");
        harness.standIns.overrides.put("listTags", ex -> StandInRoutes.Reply.json(404, "{\"detail\":\"Not Found\"}"));
        McpSchema.CallToolResult notFound = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE));
        assertThat(notFound.isError()).isTrue();
        assertThat(text(notFound)).contains("404").contains("workspace_id");
    }

    @Test
    void anAnswerThatDoesNotMatchTheOutputSchemaIsAnErrorResult() {
        // an EventPage whose events are not a list: the structured result would not match the tool's outputSchema
        harness.standIns.overrides.put("readWorkspaceEvents", ex -> StandInRoutes.Reply.json(200,
                "{\"events\": \"none\", \"total\": 0, \"next_page\": null}"));
        McpSchema.CallToolResult bad = call("read-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE));
        assertThat(bad.isError()).isTrue();
        assertThat(bad.structuredContent()).isNull();
        assertThat(text(bad)).contains("events");
        // a page with anything after it is no page either (its text would not be the structured content's JSON)
        harness.standIns.overrides.put("readWorkspaceEvents", ex -> StandInRoutes.Reply.json(200,
                "{\"events\": [], \"total\": 0, \"next_page\": null} {\"more\": 1}"));
        McpSchema.CallToolResult trailing = call("read-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE));
        assertThat(trailing.isError()).isTrue();
        assertThat(text(trailing)).contains("without the expected JSON");
        // and the same call with a page of the right shape is a result again
        harness.standIns.overrides.clear();
        McpSchema.CallToolResult good = call("read-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE));
        assertThat(good.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(good.structuredContent()).isNotNull();
    }

    @Test
    void a403OnAPageToolBlamesThePageTokenNotTheKey() {
        harness.standIns.overrides.put("readAccountEventsPage", ex -> StandInRoutes.Reply.json(403,
                "{\"detail\":\"Forbidden\"}"));
        McpSchema.CallToolResult page = call("read-account-events-page", Map.of("account_id", ACCOUNT,
                "page_token", "abc"));
        assertThat(page.isError()).isTrue();
        assertThat(text(page)).contains("403").contains("page_token").contains("account_id.")
                .doesNotContain("workspace_id").doesNotContain("API key");

        harness.standIns.overrides.put("listTags", ex -> StandInRoutes.Reply.json(403, "{\"detail\":\"Forbidden\"}"));
        McpSchema.CallToolResult tags = call("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE));
        assertThat(text(tags)).contains("403").contains("API key");
    }

    @Test
    void unknownToolIsInvalidParams() {
        assertThatThrownBy(() -> call("no-such-tool", Map.of()))
                .isInstanceOf(McpError.class)
                .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32602));
    }
}
