package io.prefectcamel.mcp;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.prefectcamel.mcp.StandInRoutes.ACCOUNT;
import static io.prefectcamel.mcp.StandInRoutes.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mcp.read-only=true with a default account and workspace configured. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpReadOnlyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private McpHarness harness;
    private McpSyncClient client;

    @BeforeAll
    void start() throws Exception {
        harness = new McpHarness(Map.of("mcp.read-only", "true", "prefect.account-id", ACCOUNT,
                "prefect.workspace-id", WORKSPACE));
        client = harness.client();
    }

    @AfterAll
    void stop() {
        client.closeGracefully();
        harness.close();
    }

    @Test
    void listsOnlyReadOnlyTools() {
        List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertThat(names).containsExactlyInAnyOrder("count-account-events", "read-account-events",
                "read-account-events-page", "count-workspace-events", "read-workspace-events",
                "read-workspace-events-page", "get-events-flow-run", "list-tags", "search-operations");
        assertThat(client.listTools().tools()).allSatisfy(t -> assertThat(t.annotations().readOnlyHint()).isTrue());
    }

    @Test
    void hiddenToolsCannotBeCalled() {
        for (String hidden : List.of("create-workspace-events", "create-account-events-2", "delete-workspace-tag")) {
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest(hidden,
                    Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE, "tag", "x"))))
                    .isInstanceOf(McpError.class)
                    .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32602));
        }
        assertThat(harness.standIns.received).doesNotContainKeys("createWorkspaceEvents", "deleteWorkspaceTag");
    }

    @Test
    void defaultIdsAreOptionalAndUsed() {
        McpSchema.Tool read = client.listTools().tools().stream()
                .filter(t -> t.name().equals("read-workspace-events")).findFirst().orElseThrow();
        JsonNode schema = JSON.valueToTree(read.inputSchema());
        assertThat(schema.path("required").toString()).doesNotContain("account_id").doesNotContain("workspace_id");
        assertThat(schema.at("/properties/workspace_id/description").asText()).contains("default");
        assertThat(read.description()).contains("may be omitted");

        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("read-workspace-events", Map.of()));
        assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(harness.standIns.received.get("readWorkspaceEvents").headers())
                .containsEntry("account-id", ACCOUNT).containsEntry("workspace-id", WORKSPACE);
    }
}
