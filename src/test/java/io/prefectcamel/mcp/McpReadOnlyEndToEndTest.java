package io.prefectcamel.mcp;

import static io.prefectcamel.mcp.McpEndToEndTest.ACCOUNT;
import static io.prefectcamel.mcp.McpEndToEndTest.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.sandbox.EventStore;
import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * mcp.read-only=true on the real service and routes, backed by the sandbox with its demo data: only the read tools
 * are listed, the write tools are refused as unknown and change nothing, the reads work.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpReadOnlyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private PrefectSandbox sandbox;
    private ServiceUnderTest service;
    private McpSyncClient client;

    @BeforeAll
    void start() {
        sandbox = PrefectSandbox.builder().seed(true).apiKey(TestKey.VALUE).build().start();
        service = McpEndToEndTest.startService(sandbox, Map.of("mcp.read-only", "true"));
        client = McpEndToEndTest.connect(service);
    }

    @AfterAll
    void stop() {
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

    @Test
    void listsOnlyTheReadTools() throws Exception {
        McpSchema.ListToolsResult list = client.listTools();
        assertThat(list.nextCursor()).isNull();
        assertThat(list.tools()).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("count-account-events",
                "read-account-events", "read-account-events-page", "count-workspace-events", "read-workspace-events",
                "read-workspace-events-page", "get-events-flow-run", "list-tags", "search-operations");
        assertThat(list.tools()).allSatisfy(t -> {
            assertThat(t.annotations().readOnlyHint()).isTrue();
            assertThat(t.annotations().destructiveHint()).isFalse();
        });
        assertThat(TestKey.isIn(JSON.writeValueAsString(list))).isFalse();
    }

    @Test
    void refusesTheWriteToolsAndChangesNothing() {
        int events = sandbox.store().size();
        List<String> tags = sandbox.store().tags(ACCOUNT, WORKSPACE).stream().map(EventStore.Tag::name).toList();
        assertThat(tags).isNotEmpty();
        Map<String, Object> event = McpEndToEndTest.event("mcp-e2e.read-only.attempt", "my-app.x", Instant.now(),
                List.of());

        for (String tool : List.of("create-workspace-events", "create-account-events", "create-account-events-2")) {
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest(tool,
                    Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE, "events", List.of(event)))))
                    .as(tool)
                    .isInstanceOf(McpError.class)
                    .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32602));
        }
        assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("delete-workspace-tag",
                Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE, "tag", tags.get(0)))))
                .isInstanceOf(McpError.class)
                .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32602));

        assertThat(sandbox.store().size()).isEqualTo(events);
        assertThat(sandbox.store().get((String) event.get("id"))).isEmpty();
        assertThat(sandbox.store().tags(ACCOUNT, WORKSPACE)).extracting(EventStore.Tag::name)
                .containsExactlyInAnyOrderElementsOf(tags);
    }

    @Test
    void readsTheDemoData() throws Exception {
        McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read-workspace-events",
                Map.of("limit", 5)));
        assertThat(read.isError()).as(McpEndToEndTest.text(read)).isNotEqualTo(Boolean.TRUE);
        JsonNode page = McpEndToEndTest.structured(read);
        assertThat(page.path("events").size()).isEqualTo(5);
        assertThat(page.path("total").asInt()).isGreaterThan(5);
        assertThat(page.path("next_page_token").asText()).isNotBlank();

        String flowRun = sandbox.store().flowRunIds().get(sandbox.store().flowRunIds().size() - 1);
        McpSchema.CallToolResult events = client.callTool(new McpSchema.CallToolRequest("get-events-flow-run",
                Map.of("flow_run_id", flowRun)));
        assertThat(events.isError()).as(McpEndToEndTest.text(events)).isNotEqualTo(Boolean.TRUE);
        assertThat(McpEndToEndTest.structured(events).path("events").size()).isPositive();

        McpSchema.CallToolResult tags = client.callTool(new McpSchema.CallToolRequest("list-tags", Map.of()));
        assertThat(McpEndToEndTest.structured(tags).path("count").asInt()).isPositive();
        for (McpSchema.CallToolResult r : List.of(read, events, tags)) {
            assertThat(TestKey.isIn(JSON.writeValueAsString(r))).isFalse();
        }
    }

    @Test
    void theRestFacadeIsNotReadOnly() {
        // mcp.read-only concerns MCP callers only: the same route still takes a create over REST
        String id = UUID.randomUUID().toString();
        String body = "[{\"id\":\"" + id + "\",\"occurred\":\"" + Instant.now() + "\",\"event\":\"mcp-e2e.rest\","
                + "\"resource\":{\"prefect.resource.id\":\"my-app.rest\"}}]";
        FacadeClient rest = new FacadeClient(service.baseUrl());
        assertThat(rest.post("/v1/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE + "/events", body)
                .statusCode()).isEqualTo(204);
        assertThat(sandbox.store().get(id)).isPresent();
    }
}
