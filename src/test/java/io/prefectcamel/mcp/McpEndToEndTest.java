package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import io.prefectcamel.testing.OperationCatalog;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP tools end to end: the SDK's MCP client (streamable HTTP) against the real service (application.properties,
 * the routes in routes/*.camel.yaml, the MCP server on a free port) backed by the embedded Prefect sandbox, which
 * requires the test key. Every tool is called for real and what it did is read back through the tools and checked
 * in the sandbox's store. No result may hold the key.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpEndToEndTest {

    static final String ACCOUNT = PrefectSandbox.DEMO_ACCOUNT_ID;
    static final String WORKSPACE = PrefectSandbox.DEMO_WORKSPACE_ID;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrefectSandbox sandbox;
    private ServiceUnderTest service;
    private McpSyncClient client;
    /** Every tools/list and tools/call result of the class, checked for the key after the class. */
    private final List<Object> results = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() {
        sandbox = PrefectSandbox.builder().seed(false).apiKey(TestKey.VALUE).build().start();
        service = startService(sandbox, Map.of());
        client = connect(service);
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
        for (Object r : results) {
            assertThat(TestKey.isIn(JSON.writeValueAsString(r))).as("a result holds the Prefect key: %s", r).isFalse();
        }
    }

    /** The real service on a free port, its MCP server on another, pointed at the sandbox with the test key. */
    static ServiceUnderTest startService(PrefectSandbox sandbox, Map<String, String> more) {
        Map<String, String> properties = new LinkedHashMap<>(FacadeUnderTest.TEST_DEFAULTS);
        properties.put("prefect.account-id", ACCOUNT);
        properties.put("prefect.workspace-id", WORKSPACE);
        properties.put("mcp.enabled", "true");
        properties.put("mcp.host", "127.0.0.1");
        properties.put("mcp.port", "0");
        properties.putAll(more);
        return ServiceUnderTest.builder().prefect(sandbox.baseUrl(), TestKey.VALUE).properties(properties).start();
    }

    static int mcpPort(ServiceUnderTest service) {
        McpServerService mcp = service.camelContext().hasService(McpServerService.class);
        assertThat(mcp).as("the service runs the MCP server").isNotNull();
        assertThat(mcp.getPort()).as("MCP port").isPositive().isNotEqualTo(service.port());
        return mcp.getPort();
    }

    static McpSyncClient connect(ServiceUnderTest service) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + mcpPort(service)).endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        McpSchema.InitializeResult init = client.initialize();
        assertThat(init.serverInfo().name()).isEqualTo("prefect-camel");
        return client;
    }

    // ------------------------------------------------------------------ helpers

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        results.add(r);
        assertThat(TestKey.isIn(text(r)) || TestKey.isIn(String.valueOf(r.structuredContent())))
                .as("%s's result holds the key", tool).isFalse();
        return r;
    }

    private McpSchema.CallToolResult ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertThat(r.isError()).as("%s failed: %s", tool, text(r)).isNotEqualTo(Boolean.TRUE);
        return r;
    }

    private McpSchema.CallToolResult failed(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertThat(r.isError()).as("%s should fail: %s", tool, text(r)).isTrue();
        assertThat(r.structuredContent()).isNull();
        assertThat(text(r)).doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    static String text(McpSchema.CallToolResult r) {
        return r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    /** structuredContent as JSON, checked against the JSON in the first text block. */
    static JsonNode structured(McpSchema.CallToolResult r) throws Exception {
        assertThat(r.structuredContent()).isNotNull();
        JsonNode s = JSON.valueToTree(r.structuredContent());
        assertThat(JSON.readTree(((McpSchema.TextContent) r.content().get(0)).text())).isEqualTo(s);
        return s;
    }

    static Map<String, Object> event(String name, String resourceId, Instant occurred, List<Map<String, String>> related) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", UUID.randomUUID().toString());
        e.put("occurred", occurred.truncatedTo(ChronoUnit.MILLIS).toString());
        e.put("event", name);
        e.put("resource", Map.of("prefect.resource.id", resourceId));
        e.put("related", related);
        e.put("payload", Map.of("source", "mcp-e2e"));
        return e;
    }

    /** A filter on an event-name prefix within the last hour (and a minute ahead, for clock skew). */
    static Map<String, Object> filter(String prefix) {
        Instant now = Instant.now();
        return Map.of(
                "occurred", Map.of("since", now.minus(Duration.ofMinutes(59)).toString(),
                        "until", now.plus(Duration.ofMinutes(1)).toString()),
                "event", Map.of("prefix", List.of(prefix)));
    }

    static String prefix() {
        return "mcp-e2e." + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private List<McpSchema.Tool> allTools() {
        List<McpSchema.Tool> tools = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = client.listTools(cursor);
            results.add(page);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null);
        return tools;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void listsTheTwelveToolsWithHintsAndSchemas() throws Exception {
        Map<String, McpSchema.Tool> byName = allTools().stream()
                .filter(t -> !t.name().equals(OperationCatalog.SEARCH_TOOL)) // McpDiscoveryEndToEndTest
                .collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
        // name -> readOnly, destructive, idempotent
        Map<String, List<Boolean>> hints = Map.ofEntries(
                Map.entry("create-account-events", List.of(false, false, true)),
                Map.entry("create-account-events-2", List.of(false, false, true)),
                Map.entry("count-account-events", List.of(true, false, true)),
                Map.entry("read-account-events", List.of(true, false, true)),
                Map.entry("read-account-events-page", List.of(true, false, true)),
                Map.entry("create-workspace-events", List.of(false, false, true)),
                Map.entry("count-workspace-events", List.of(true, false, true)),
                Map.entry("read-workspace-events", List.of(true, false, true)),
                Map.entry("read-workspace-events-page", List.of(true, false, true)),
                Map.entry("get-events-flow-run", List.of(true, false, true)),
                Map.entry("list-tags", List.of(true, false, true)),
                Map.entry("delete-workspace-tag", List.of(false, true, true)));
        assertThat(byName).containsOnlyKeys(hints.keySet());

        for (McpSchema.Tool tool : byName.values()) {
            McpSchema.ToolAnnotations a = tool.annotations();
            assertThat(List.of(a.readOnlyHint(), a.destructiveHint(), a.idempotentHint())).as(tool.name())
                    .isEqualTo(hints.get(tool.name()));
            assertThat(a.openWorldHint()).as(tool.name()).isTrue();
            assertThat(tool.title()).isNotBlank();
            assertThat(tool.description()).as(tool.name()).contains("may be omitted");
            JsonNode input = JSON.valueToTree(tool.inputSchema());
            assertThat(input.path("type").asText()).isEqualTo("object");
            assertThat(input.toString()).doesNotContain("$ref");
            // the service has default ids: neither is required, both are offered
            assertThat(input.path("required").toString()).doesNotContain("account_id").doesNotContain("workspace_id");
            assertThat(input.at("/properties/account_id/format").asText()).isEqualTo("uuid");
            boolean writes = !a.readOnlyHint();
            if (writes) {
                assertThat(tool.outputSchema()).as(tool.name()).isNull();
            } else {
                JsonNode output = JSON.valueToTree(tool.outputSchema());
                assertThat(output.path("type").asText()).as(tool.name()).isEqualTo("object");
                assertThat(output.toString()).doesNotContain("$ref");
            }
        }
        JsonNode create = JSON.valueToTree(byName.get("create-workspace-events").inputSchema());
        assertThat(create.path("required").toString()).contains("events");
        assertThat(create.at("/properties/events/type").asText()).isEqualTo("array");
        JsonNode read = JSON.valueToTree(byName.get("read-workspace-events").inputSchema());
        assertThat(read.at("/properties/limit/maximum").asInt()).isEqualTo(200);
        JsonNode page = JSON.valueToTree(byName.get("read-workspace-events-page").inputSchema());
        assertThat(page.path("required").toString()).contains("page_token");
        JsonNode pageOut = JSON.valueToTree(byName.get("read-workspace-events-page").outputSchema());
        assertThat(pageOut.at("/properties/next_page_token").isObject()).isTrue();
        JsonNode flow = JSON.valueToTree(byName.get("get-events-flow-run").inputSchema());
        assertThat(flow.path("required").toString()).contains("flow_run_id");
        assertThat(flow.at("/properties/if_none_match").isObject()).isTrue();
    }

    @Test
    void createsWorkspaceEventsAndReadsThemBack() throws Exception {
        String prefix = prefix();
        Instant now = Instant.now();
        List<Map<String, Object>> events = List.of(
                event(prefix + "started", "my-app.order.1", now.minusSeconds(30), List.of()),
                event(prefix + "shipped", "my-app.order.1", now.minusSeconds(20), List.of()),
                event(prefix + "shipped", "my-app.order.2", now.minusSeconds(10), List.of()));

        McpSchema.CallToolResult created = ok("create-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "events", events));
        assertThat(text(created)).contains("Recorded 3 event(s)");
        assertThat(created.structuredContent()).isNull();
        for (Map<String, Object> e : events) {
            assertThat(sandbox.store().get((String) e.get("id"))).as("stored in the sandbox").isPresent();
        }

        // ids omitted: the service's defaults (the demo account and workspace)
        JsonNode page = structured(ok("read-workspace-events", Map.of("filter", filter(prefix), "limit", 10)));
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("next_page_token").isNull()).isTrue();
        // newest first
        assertThat(ids(page.path("events"))).containsExactly((String) events.get(2).get("id"),
                (String) events.get(1).get("id"), (String) events.get(0).get("id"));
        JsonNode first = page.path("events").get(2);
        assertThat(first.path("event").asText()).isEqualTo(prefix + "started");
        assertThat(first.path("resource").path("prefect.resource.id").asText()).isEqualTo("my-app.order.1");
        assertThat(first.path("payload").path("source").asText()).isEqualTo("mcp-e2e");
        assertThat(first.path("workspace").asText()).isEqualTo(WORKSPACE);

        // the account-wide read sees them too
        JsonNode account = structured(ok("read-account-events", Map.of("account_id", ACCOUNT,
                "filter", filter(prefix))));
        assertThat(ids(account.path("events"))).containsExactlyInAnyOrderElementsOf(
                events.stream().map(e -> (String) e.get("id")).toList());
    }

    @Test
    void createsAccountEventsWithTheCompatibilityNameAndReadsThemBack() throws Exception {
        String prefix = prefix();
        Instant now = Instant.now();
        List<Map<String, Object>> events = List.of(
                event(prefix + "audit", "my-app.user.7", now.minusSeconds(5), List.of()),
                event(prefix + "audit", "my-app.user.8", now.minusSeconds(4), List.of()));

        McpSchema.CallToolResult created = ok("create-account-events-2", Map.of("account_id", ACCOUNT,
                "events", events));
        assertThat(text(created)).contains("Recorded 2 event(s)");
        McpSchema.CallToolResult again = ok("create-account-events", Map.of("events",
                List.of(event(prefix + "audit", "my-app.user.9", now.minusSeconds(3), List.of()))));
        assertThat(text(again)).contains("Recorded 1 event(s)");

        JsonNode page = structured(ok("read-account-events", Map.of("account_id", ACCOUNT, "filter", filter(prefix),
                "limit", 50)));
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("events").size()).isEqualTo(3);
        assertThat(ids(page.path("events"))).contains((String) events.get(0).get("id"),
                (String) events.get(1).get("id"));
        assertThat(page.path("next_page_token").isNull()).isTrue();
    }

    @Test
    void countsEvents() throws Exception {
        String prefix = prefix();
        Instant now = Instant.now();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event(prefix + (i < 3 ? "a" : "b"), "my-app.job." + i, now.minusSeconds(60 - i), List.of()));
        }
        ok("create-workspace-events", Map.of("events", events));

        JsonNode byName = structured(ok("count-workspace-events", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "countable", "event", "filter", filter(prefix))));
        Map<String, Integer> counts = new LinkedHashMap<>();
        byName.path("counts").forEach(c -> counts.put(c.path("value").asText(), c.path("count").asInt()));
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(prefix + "a", 3, prefix + "b", 2));

        JsonNode byDay = structured(ok("count-account-events", Map.of("countable", "day",
                "filter", filter(prefix))));
        int total = 0;
        for (JsonNode c : byDay.path("counts")) {
            total += c.path("count").asInt();
        }
        assertThat(total).isEqualTo(5);
    }

    @Test
    void getsAFlowRunsEventsAndNotModified() throws Exception {
        String flowRun = UUID.randomUUID().toString();
        String prefix = "prefect.flow-run.";
        Instant now = Instant.now();
        List<Map<String, Object>> events = List.of(
                event(prefix + "Pending", "prefect.flow-run." + flowRun, now.minusSeconds(30), List.of()),
                event(prefix + "Running", "prefect.flow-run." + flowRun, now.minusSeconds(20), List.of()),
                event(prefix + "Completed", "prefect.flow-run." + flowRun, now.minusSeconds(10), List.of()));
        ok("create-workspace-events", Map.of("events", events));

        Map<String, Object> args = new LinkedHashMap<>(Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE,
                "flow_run_id", flowRun, "order", "ASC"));
        JsonNode got = structured(ok("get-events-flow-run", args));
        assertThat(got.path("events").size()).isEqualTo(3);
        List<String> names = new ArrayList<>();
        got.path("events").forEach(e -> names.add(e.path("event").asText()));
        assertThat(names).containsExactly(prefix + "Pending", prefix + "Running", prefix + "Completed");
        assertThat(got.has("not_modified") && got.path("not_modified").asBoolean()).isFalse();

        args.put("if_none_match", "3");
        McpSchema.CallToolResult unchanged = ok("get-events-flow-run", args);
        assertThat(structured(unchanged).path("not_modified").asBoolean()).isTrue();
        assertThat(structured(unchanged).has("events")).isFalse();
        assertThat(text(unchanged)).contains("Not modified");

        args.put("if_none_match", "2");
        assertThat(structured(ok("get-events-flow-run", args)).path("events").size()).isEqualTo(3);
    }

    @Test
    void listsAndDeletesATag() throws Exception {
        String tag = "mcp-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        ok("create-workspace-events", Map.of("events", List.of(event(prefix() + "tagged", "my-app.batch.1",
                Instant.now().minusSeconds(5), List.of(Map.of("prefect.resource.id", "prefect.tag." + tag,
                        "prefect.resource.role", "tag"))))));

        JsonNode tags = structured(ok("list-tags", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE,
                "search", tag)));
        assertThat(tags.path("count").asInt()).isEqualTo(1);
        assertThat(tags.path("results").get(0).path("name").asText()).isEqualTo(tag);

        McpSchema.CallToolResult deleted = ok("delete-workspace-tag", Map.of("account_id", ACCOUNT,
                "workspace_id", WORKSPACE, "tag", tag));
        assertThat(text(deleted)).contains("Deleted the tag \"" + tag + "\"");
        assertThat(sandbox.store().tags(ACCOUNT, WORKSPACE)).noneMatch(t -> t.name().equals(tag));

        JsonNode after = structured(ok("list-tags", Map.of("search", tag)));
        assertThat(after.path("count").asInt()).isZero();
        assertThat(after.path("results").size()).isZero();
    }

    @Test
    void pagesThroughEveryEventExactlyOnce() throws Exception {
        String prefix = prefix();
        Instant now = Instant.now();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // some share a timestamp, so the order alone cannot keep pages apart
            events.add(event(prefix + "tick", "my-app.tick." + i, now.minusMillis(10_000 - (i / 3) * 50L), List.of()));
        }
        ok("create-workspace-events", Map.of("events", events.subList(0, 60)));
        ok("create-workspace-events", Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE,
                "events", events.subList(60, 120)));
        Set<String> created = events.stream().map(e -> (String) e.get("id")).collect(Collectors.toSet());

        assertThat(readAll("read-workspace-events", "read-workspace-events-page", prefix, true))
                .containsExactlyInAnyOrderElementsOf(created);
        assertThat(readAll("read-account-events", "read-account-events-page", prefix, false))
                .containsExactlyInAnyOrderElementsOf(created);
    }

    /** Reads every page (limit 50), checking page sizes and the hint text; returns the ids in order read. */
    private List<String> readAll(String firstTool, String pageTool, String prefix, boolean workspace) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("account_id", ACCOUNT);
        if (workspace) {
            args.put("workspace_id", WORKSPACE);
        }
        args.put("filter", filter(prefix));
        args.put("limit", 50);
        McpSchema.CallToolResult r = ok(firstTool, args);
        List<String> read = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (true) {
            JsonNode page = structured(r);
            assertThat(page.path("total").asInt()).isEqualTo(120);
            for (String id : ids(page.path("events"))) {
                assertThat(seen.add(id)).as("event %s read twice", id).isTrue();
                read.add(id);
            }
            sizes.add(page.path("events").size());
            String token = page.path("next_page_token").isNull() ? null : page.path("next_page_token").asText();
            if (token == null) {
                assertThat(text(r)).contains("Last page");
                break;
            }
            assertThat(text(r)).contains("call " + pageTool + " with page_token=" + token);
            assertThat(sizes).as("pages so far").hasSizeLessThan(5);
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("account_id", ACCOUNT);
            if (workspace) {
                next.put("workspace_id", WORKSPACE);
            }
            next.put("page_token", token);
            r = ok(pageTool, next);
        }
        assertThat(sizes).containsExactly(50, 50, 20);
        return read;
    }

    @Test
    void aBadIdIsAnErrorResultNamingTheArgument() {
        McpSchema.CallToolResult r = failed("read-workspace-events", Map.of("account_id", "not-a-uuid",
                "workspace_id", WORKSPACE));
        assertThat(text(r)).contains("account_id").contains("UUID");

        McpSchema.CallToolResult flow = failed("get-events-flow-run", Map.of("flow_run_id", "42"));
        assertThat(text(flow)).contains("flow_run_id");

        // well-formed but not a token Prefect gave out: Prefect's own refusal comes back as an error result
        McpSchema.CallToolResult token = failed("read-workspace-events-page", Map.of("page_token", "not-a-token"));
        assertThat(text(token)).contains("403").contains("page_token").contains("exactly as received")
                .doesNotContain("API key");
    }

    @Test
    void anOutOfRangeLimitIsAnErrorResult() {
        McpSchema.CallToolResult r = failed("read-workspace-events", Map.of("limit", 500));
        assertThat(text(r)).contains("limit").contains("200");

        McpSchema.CallToolResult tags = failed("list-tags", Map.of("limit", 0));
        assertThat(text(tags)).contains("limit");
    }

    @Test
    void prefectsValidationErrorIsAnErrorResultTheAgentCanAct() {
        int before = sandbox.store().size();
        Map<String, Object> noResourceId = new LinkedHashMap<>(event(prefix() + "broken", "x", Instant.now(), List.of()));
        noResourceId.put("resource", Map.of("name", "no id here"));

        McpSchema.CallToolResult r = failed("create-workspace-events", Map.of("events", List.of(noResourceId)));

        assertThat(text(r)).contains("422").contains("events").contains("prefect.resource.id")
                .contains("call create-workspace-events again");
        assertThat(sandbox.store().size()).isEqualTo(before);
    }

    @Test
    void anUnknownToolIsAProtocolError() {
        assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("drop-all-events", Map.of())))
                .isInstanceOf(McpError.class)
                .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32602));
    }

    @Test
    void listedToolsNeverShowTheKey() throws Exception {
        List<McpSchema.Tool> tools = allTools();
        assertThat(TestKey.isIn(JSON.writeValueAsString(tools))).isFalse();
        Set<String> unique = new LinkedHashSet<>();
        tools.forEach(t -> unique.add(t.name()));
        assertThat(unique).containsExactlyInAnyOrderElementsOf(OperationCatalog.defaultListedToolNames());
    }
}
