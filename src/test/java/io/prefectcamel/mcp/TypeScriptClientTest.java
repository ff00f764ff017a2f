package io.prefectcamel.mcp;

import static io.prefectcamel.mcp.McpEndToEndTest.ACCOUNT;
import static io.prefectcamel.mcp.McpEndToEndTest.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.sandbox.EventStore;
import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FreePort;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every MCP tool through the official TypeScript MCP SDK client, the one most MCP hosts use (Claude Desktop, Cursor,
 * VS Code, the MCP Inspector). Unlike the Java SDK client it validates each structuredContent against the tool's
 * outputSchema strictly (Ajv, formats included) and fails the call with -32602 when they disagree.
 *
 * <p>The real service runs on the embedded sandbox with its demo data. The arguments come from the live tool list
 * (each tool's inputSchema) and the sandbox's data (a flow-run id and page tokens read first, an existing tag, new
 * events with fresh ids); a required argument this test has no value for fails it, so no tool is ever skipped.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeScriptClientTest {

    private static final Logger LOG = LoggerFactory.getLogger(TypeScriptClientTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);

    private TypeScriptClient ts;
    private PrefectSandbox sandbox;
    private ServiceUnderTest service;
    private ServiceUnderTest readOnlyService;

    @BeforeAll
    void start() throws Exception {
        ts = TypeScriptClient.install();
        sandbox = PrefectSandbox.builder().seed(true).apiKey(TestKey.VALUE).build().start();
        service = McpEndToEndTest.startService(sandbox, Map.of());
    }

    @AfterAll
    void stop() {
        try {
            for (ServiceUnderTest s : new ServiceUnderTest[] { service, readOnlyService }) {
                if (s != null) {
                    s.stop();
                }
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static String url(ServiceUnderTest service) {
        return "http://localhost:" + McpEndToEndTest.mcpPort(service) + "/mcp";
    }

    // ------------------------------------------------------------------ tests

    @Test
    void everyListedToolSucceedsAndItsStructuredContentMatchesItsOutputSchema() throws Exception {
        List<JsonNode> tools = listTools(service);
        Data data = data(service);
        List<Map<String, Object>> calls = new ArrayList<>();
        String flowRun = UUID.randomUUID().toString();
        int flowRunEvents = 0;
        for (JsonNode tool : byEffect(tools)) {
            Map<String, Object> args = arguments(tool, data, flowRun);
            calls.add(call(tool.path("name").asText(), "valid", args, "success"));
            if (args.containsKey("events") && args.containsKey("workspace_id")) {
                flowRunEvents += ((List<?>) args.get("events")).size();
            }
            calls.addAll(variants(tool, args));
        }
        // the 304 answer of a flow run's events, {"not_modified": true}, against the same outputSchema
        JsonNode flowRunTool = tools.stream().filter(t -> t.at("/inputSchema/properties/if_none_match").isObject())
                .findFirst().orElse(null);
        if (flowRunTool != null && flowRunEvents > 0) {
            Map<String, Object> args = arguments(flowRunTool, data, flowRun);
            args.put("flow_run_id", flowRun);
            args.put("if_none_match", Integer.toString(flowRunEvents));
            int at = indexOfFirstDestructive(calls, tools);
            calls.add(at, call(flowRunTool.path("name").asText(), "not-modified", args, "success"));
        }

        TypeScriptClient.Run run = runCalls(service, calls);

        List<JsonNode> results = run.ofType("call");
        Map<String, List<JsonNode>> byTool = results.stream()
                .collect(Collectors.groupingBy(r -> r.path("tool").asText(), LinkedHashMap::new, Collectors.toList()));
        assertThat(byTool.keySet()).as("tools called").containsExactlyInAnyOrderElementsOf(names(tools));
        for (JsonNode tool : tools) {
            String name = tool.path("name").asText();
            for (JsonNode r : byTool.get(name)) {
                assertThat(r.path("argumentsValid").asBoolean()).as("the test's arguments for %s: %s", name, r)
                        .isTrue();
                assertThat(r.path("outcome").asText()).as("%s (%s): %s", name, r.path("label").asText(), r)
                        .isEqualTo("result");
                assertThat(r.path("isError").asBoolean()).as("%s: %s", name, r).isFalse();
                if (tool.has("outputSchema")) {
                    assertThat(r.path("structured").asBoolean()).as("%s has structuredContent: %s", name, r).isTrue();
                    assertThat(r.path("textMatchesStructured").asBoolean()).as("%s text = structuredContent", name)
                            .isTrue();
                }
                assertThat(r.path("passed").asBoolean()).as("%s: %s", name, r).isTrue();
            }
        }
        if (flowRunTool != null) {
            assertThat(byTool.get(flowRunTool.path("name").asText())).extracting(r -> r.path("label").asText())
                    .contains("not-modified");
            assertThat(byTool.get(flowRunTool.path("name").asText()).stream()
                    .filter(r -> r.path("label").asText().equals("not-modified")).findFirst().orElseThrow()
                    .path("text").asText()).contains("Not modified");
        }
        JsonNode summary = run.single("summary");
        assertThat(summary.path("notCalled").size()).as("listed tools without a successful call: %s", summary).isZero();
        assertThat(summary.path("failures").asInt()).as(run.toString()).isZero();
        assertThat(run.exitStatus()).as(run.toString()).isZero();
        assertThat(TestKey.isIn(run.toString())).isFalse();
    }

    @Test
    void badArgumentsAreAToolErrorAndAnUnknownToolIsAJsonRpcError() throws Exception {
        List<JsonNode> tools = listTools(service);
        Data data = data(service);
        String flowRun = UUID.randomUUID().toString();
        List<Map<String, Object>> calls = new ArrayList<>();
        // every tool once with valid arguments (the script checks that no listed tool was left out) ...
        for (JsonNode tool : byEffect(tools)) {
            calls.add(call(tool.path("name").asText(), "valid", arguments(tool, data, flowRun), "success"));
        }
        // ... then a read with an id that is no UUID, a create with an event Prefect cannot take, an unknown tool
        JsonNode read = tools.stream().filter(t -> t.at("/annotations/readOnlyHint").asBoolean()
                && t.at("/inputSchema/properties/account_id").isObject()).findFirst().orElseThrow();
        Map<String, Object> badId = arguments(read, data, flowRun);
        badId.put("account_id", "not-a-uuid");
        calls.add(call(read.path("name").asText(), "account_id not a UUID", badId, "tool-error"));
        JsonNode create = tools.stream().filter(t -> t.at("/inputSchema/properties/events").isObject()).findFirst()
                .orElseThrow();
        Map<String, Object> badEvent = arguments(create, data, flowRun);
        badEvent.put("events", List.of(Map.of("event", "ts-client.no-resource", "id", UUID.randomUUID().toString(),
                "occurred", Instant.now().toString())));
        calls.add(call(create.path("name").asText(), "event without a resource", badEvent, "tool-error"));
        Map<String, Object> unknown = call("no-such-tool", "unknown tool", Map.of(), "protocol-error");
        unknown.put("code", -32602);
        calls.add(unknown);

        TypeScriptClient.Run run = runCalls(service, calls);

        Map<String, JsonNode> byLabel = run.ofType("call").stream()
                .collect(Collectors.toMap(r -> r.path("tool").asText() + "/" + r.path("label").asText(), r -> r));
        JsonNode badIdResult = byLabel.get(read.path("name").asText() + "/account_id not a UUID");
        assertThat(badIdResult.path("outcome").asText()).as(badIdResult.toString()).isEqualTo("result");
        assertThat(badIdResult.path("isError").asBoolean()).as(badIdResult.toString()).isTrue();
        assertThat(badIdResult.path("text").asText()).contains("account_id");
        assertThat(badIdResult.path("argumentsValid").asBoolean()).as("the client's Ajv agrees").isFalse();
        JsonNode badEventResult = byLabel.get(create.path("name").asText() + "/event without a resource");
        assertThat(badEventResult.path("outcome").asText()).as(badEventResult.toString()).isEqualTo("result");
        assertThat(badEventResult.path("isError").asBoolean()).as(badEventResult.toString()).isTrue();
        JsonNode unknownResult = byLabel.get("no-such-tool/unknown tool");
        assertThat(unknownResult.path("outcome").asText()).as(unknownResult.toString()).isEqualTo("protocol-error");
        assertThat(unknownResult.path("code").asInt()).isEqualTo(-32602);
        assertThat(unknownResult.path("listed").asBoolean()).isFalse();
        assertThat(run.ofType("call")).allSatisfy(r -> assertThat(r.path("passed").asBoolean()).as(r.toString()).isTrue());
        assertThat(run.exitStatus()).as(run.toString()).isZero();
    }

    @Test
    void nextPageIsAnAbsoluteLinkToTheFacadeThatWorks() throws Exception {
        // no facade.public-url: the REST server on loopback (an MCP call has no Host header to take it from)
        Data data = data(service);
        assertThat(data.workspaceNextPage()).startsWith(service.baseUrl() + "/v1/api/accounts/" + ACCOUNT
                + "/workspaces/" + WORKSPACE + "/events/filter/next?page-token=");
        assertThat(data.accountNextPage()).startsWith(service.baseUrl() + "/v1/api/accounts/" + ACCOUNT
                + "/events/filter/next?page-token=");
        for (String link : List.of(data.workspaceNextPage(), data.accountNextPage())) {
            follow(link);
        }
    }

    /** GETs a next_page link: the facade answers the next page. */
    private static void follow(String link) throws Exception {
        HttpResponse<String> next = new FacadeClient("http://unused.invalid").get(link);
        assertThat(next.statusCode()).as("GET %s: %s", link, next.body()).isEqualTo(200);
        assertThat(JSON.readTree(next.body()).path("events").size()).as(next.body()).isPositive();
    }

    @Test
    void readOnlyModeListsAndRunsOnlyTheReadOnlyTools() throws Exception {
        List<JsonNode> all = listTools(service);
        // with facade.public-url, which next_page links start with
        int port = FreePort.next();
        String publicUrl = "http://localhost:" + port;
        readOnlyService = McpEndToEndTest.startService(sandbox, Map.of("mcp.read-only", "true",
                "camel.server.port", Integer.toString(port), "facade.public-url", publicUrl + "/"));
        List<JsonNode> listed = listTools(readOnlyService);

        List<String> readOnly = all.stream().filter(t -> t.at("/annotations/readOnlyHint").asBoolean())
                .map(t -> t.path("name").asText()).toList();
        assertThat(readOnly).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(names(listed)).containsExactlyInAnyOrderElementsOf(readOnly);
        assertThat(listed).allSatisfy(t -> {
            assertThat(t.at("/annotations/readOnlyHint").asBoolean()).as(t.path("name").asText()).isTrue();
            assertThat(t.at("/annotations/destructiveHint").asBoolean()).as(t.path("name").asText()).isFalse();
        });

        Data data = data(readOnlyService);
        assertThat(data.workspaceNextPage()).startsWith(publicUrl + "/v1/api/accounts/" + ACCOUNT + "/workspaces/");
        follow(data.workspaceNextPage());
        String flowRun = UUID.randomUUID().toString();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (JsonNode tool : listed) {
            calls.add(call(tool.path("name").asText(), "valid", arguments(tool, data, flowRun), "success"));
        }
        // a write tool of the full list is unknown here
        JsonNode write = all.stream().filter(t -> !t.at("/annotations/readOnlyHint").asBoolean()).findFirst()
                .orElseThrow();
        Map<String, Object> refused = call(write.path("name").asText(), "write in read-only mode",
                arguments(write, data, flowRun), "protocol-error");
        refused.put("code", -32602);
        calls.add(refused);
        int events = sandbox.store().size();

        TypeScriptClient.Run run = runCalls(readOnlyService, calls);

        assertThat(run.ofType("call")).allSatisfy(r -> assertThat(r.path("passed").asBoolean()).as(r.toString()).isTrue());
        assertThat(run.single("summary").path("notCalled").size()).isZero();
        assertThat(run.exitStatus()).as(run.toString()).isZero();
        assertThat(sandbox.store().size()).as("nothing was written").isEqualTo(events);
    }

    // ------------------------------------------------------------------ the client runs

    /** tools/list through the TypeScript client, every page. */
    private List<JsonNode> listTools(ServiceUnderTest service) throws Exception {
        TypeScriptClient.Run run = ts.run(RUN_TIMEOUT, "list", url(service));
        assertThat(run.exitStatus()).as(run.toString()).isZero();
        JsonNode connected = run.single("connected");
        assertThat(connected.at("/server/name").asText()).isEqualTo("prefect-camel");
        assertThat(connected.path("sessionId").asText()).isNotBlank();
        List<JsonNode> tools = new ArrayList<>();
        run.single("tools").path("tools").forEach(tools::add);
        assertThat(tools).isNotEmpty();
        return tools;
    }

    private TypeScriptClient.Run runCalls(ServiceUnderTest service, List<Map<String, Object>> calls) throws Exception {
        Path fixture = Files.createTempFile(TypeScriptClient.HOME, "fixture-", ".json");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(fixture.toFile(), Map.of("calls", calls));
            TypeScriptClient.Run run = ts.run(RUN_TIMEOUT, "call", url(service), fixture.toAbsolutePath().toString());
            for (JsonNode r : run.ofType("call")) {
                LOG.info("TypeScript client: {} ({}): {}{}{} in {} ms", r.path("tool").asText(), r.path("label").asText(),
                        r.path("passed").asBoolean() ? "as expected, " : "NOT AS EXPECTED, ", r.path("outcome").asText(),
                        r.has("code") ? " " + r.path("code").asInt() + " " + r.path("message").asText()
                                : " isError=" + r.path("isError").asBoolean() + " structured="
                                        + r.path("structured").asBoolean(),
                        r.path("ms").asLong());
            }
            assertThat(run.ofType("fatal")).as(run.toString()).isEmpty();
            assertThat(run.ofType("call")).as(run.toString()).hasSize(calls.size());
            return run;
        } finally {
            Files.deleteIfExists(fixture);
        }
    }

    private static Map<String, Object> call(String tool, String label, Map<String, Object> arguments, String expect) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tool", tool);
        c.put("label", label);
        c.put("arguments", arguments);
        c.put("expect", expect);
        return c;
    }

    private static List<String> names(List<JsonNode> tools) {
        return tools.stream().map(t -> t.path("name").asText()).toList();
    }

    /** Writes that add first, then reads, destructive tools last (so a read still finds what they remove). */
    private static List<JsonNode> byEffect(List<JsonNode> tools) {
        return tools.stream().sorted(Comparator.comparingInt(TypeScriptClientTest::effectRank)).toList();
    }

    private static int effectRank(JsonNode tool) {
        JsonNode a = tool.path("annotations");
        if (a.path("readOnlyHint").asBoolean()) {
            return 1;
        }
        // MCP's default for a tool that writes: destructive
        return a.path("destructiveHint").asBoolean(true) ? 2 : 0;
    }

    private static int indexOfFirstDestructive(List<Map<String, Object>> calls, List<JsonNode> tools) {
        for (int i = 0; i < calls.size(); i++) {
            String name = (String) calls.get(i).get("tool");
            JsonNode tool = tools.stream().filter(t -> t.path("name").asText().equals(name)).findFirst().orElseThrow();
            if (effectRank(tool) == 2) {
                return i;
            }
        }
        return calls.size();
    }

    // ------------------------------------------------------------------ arguments

    /** What the sandbox holds, read through the service before the client runs. */
    private record Data(String flowRunId, String workspacePageToken, String accountPageToken, String tag,
            String workspaceNextPage, String accountNextPage) {
    }

    /** A flow-run id and the page tokens from reads through the service (Java SDK client); a tag from the sandbox. */
    private Data data(ServiceUnderTest service) throws Exception {
        McpSyncClient java = McpEndToEndTest.connect(service);
        try {
            JsonNode workspace = read(java, "read-workspace-events",
                    Map.of("limit", 2, "filter", Map.of("event", Map.of("prefix", List.of("prefect.flow-run.")))));
            String resource = workspace.at("/events/0/resource/prefect.resource.id").asText();
            assertThat(resource).as("a flow-run event in the demo data").startsWith("prefect.flow-run.");
            String flowRun = resource.substring("prefect.flow-run.".length());
            JsonNode account = read(java, "read-account-events", Map.of("limit", 2));
            List<String> tags = sandbox.store().tags(ACCOUNT, WORKSPACE).stream()
                    .map(EventStore.Tag::name).toList();
            assertThat(tags).as("tags in the demo data").isNotEmpty();
            return new Data(flowRun, workspace.path("next_page_token").asText(),
                    account.path("next_page_token").asText(), tags.get(tags.size() - 1),
                    workspace.path("next_page").asText(), account.path("next_page").asText());
        } finally {
            java.closeGracefully();
        }
    }

    private static JsonNode read(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(r.isError()).as("%s: %s", tool, McpEndToEndTest.text(r)).isNotEqualTo(Boolean.TRUE);
        JsonNode page = JSON.valueToTree(r.structuredContent());
        assertThat(page.path("next_page_token").asText()).as("%s gives a next_page_token", tool).isNotBlank();
        return page;
    }

    /**
     * Valid arguments for a tool, from its inputSchema: every required argument and the ids (given explicitly, though
     * the service has defaults); {@code limit} where offered.
     */
    private static Map<String, Object> arguments(JsonNode tool, Data data, String newFlowRun) {
        String name = tool.path("name").asText();
        JsonNode schema = tool.path("inputSchema");
        JsonNode properties = schema.path("properties");
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        boolean workspace = properties.has("workspace_id");
        Map<String, Object> args = new LinkedHashMap<>();
        for (var it = properties.fieldNames(); it.hasNext();) {
            String arg = it.next();
            Object value = switch (arg) {
                case "account_id" -> ACCOUNT;
                case "workspace_id" -> WORKSPACE;
                case "limit" -> 5;
                case "events" -> events(workspace, newFlowRun);
                case "page_token" -> workspace ? data.workspacePageToken() : data.accountPageToken();
                case "flow_run_id" -> data.flowRunId();
                case "tag" -> data.tag();
                case "countable" -> firstEnum(properties.path(arg), "event");
                case "query" -> "count events by name";
                default -> null;
            };
            if (value == null && required.contains(arg)) {
                throw new AssertionError("This test has no value for " + name + "'s required argument `" + arg
                        + "`: teach TypeScriptClientTest.arguments about it, so that the tool is not skipped");
            }
            if (value != null) {
                args.put(arg, value);
            }
        }
        return args;
    }

    /**
     * More valid calls whose answers have other shapes: every other {@code countable}, and an empty last page
     * ({@code next_page} null) for a tool that takes an event filter.
     */
    private static List<Map<String, Object>> variants(JsonNode tool, Map<String, Object> valid) {
        String name = tool.path("name").asText();
        List<Map<String, Object>> more = new ArrayList<>();
        JsonNode countables = tool.at("/inputSchema/properties/countable/enum");
        for (int i = 1; i < countables.size(); i++) {
            Map<String, Object> args = new LinkedHashMap<>(valid);
            args.put("countable", countables.get(i).asText());
            more.add(call(name, "countable " + countables.get(i).asText(), args, "success"));
        }
        if (tool.at("/inputSchema/properties/filter").isObject()) {
            Map<String, Object> args = new LinkedHashMap<>(valid);
            args.put("filter", Map.of("event", Map.of("prefix", List.of("ts-client.nothing." + UUID.randomUUID() + "."))));
            more.add(call(name, "nothing matches", args, "success"));
        }
        return more;
    }

    private static Object firstEnum(JsonNode schema, String fallback) {
        JsonNode e = schema.path("enum");
        return e.isArray() && !e.isEmpty() ? e.get(0).asText() : fallback;
    }

    /** Two new events with fresh ids; in a workspace they belong to a new flow run. */
    private static List<Map<String, Object>> events(boolean workspace, String flowRun) {
        List<Map<String, Object>> events = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (String state : List.of("Pending", "Running")) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", UUID.randomUUID().toString());
            e.put("occurred", now.toString());
            e.put("event", workspace ? "prefect.flow-run." + state : "ts-client.account." + state.toLowerCase());
            e.put("resource", Map.of("prefect.resource.id",
                    workspace ? "prefect.flow-run." + flowRun : "ts-client.thing." + UUID.randomUUID()));
            e.put("payload", Map.of("source", "ts-client-test"));
            events.add(e);
        }
        return events;
    }
}
