package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefectcamel.sandbox.AdminSeed;
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
 * The four administration scenarios, over MCP with the official TypeScript SDK client (it validates every structured
 * result against the tool's output schema, formats included), end to end on the sandbox: each step's ids come from
 * the results of the steps before it.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeScriptAdminScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(45);

    private TypeScriptClient ts;
    private PrefectSandbox sandbox;
    private ServiceUnderTest service;

    @BeforeAll
    void start() throws Exception {
        ts = TypeScriptClient.install();
        sandbox = PrefectSandbox.builder().seed(true).apiKey(TestKey.VALUE).build().start();
        service = McpEndToEndTest.startService(sandbox, Map.of("mcp.toolsets", "events,admin",
                "prefect.account-id", PrefectSandbox.DEMO_ACCOUNT_ID, "prefect.workspace-id", PrefectSandbox.DEMO_WORKSPACE_ID));
    }

    @AfterAll
    void stop() {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static int steps;

    /** A step of a scenario; its structured result is kept (under {@code save}, or a name of its own) to look at. */
    private static Map<String, Object> step(String tool, Map<String, Object> args, String save) {
        if (save == null) {
            save = "step" + (++steps);
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("tool", tool);
        call.put("label", tool);
        call.put("arguments", args);
        call.put("expect", "success");
        call.put("save", save);
        return call;
    }

    /** Runs the steps as one scenario; every step must succeed, its structured result valid under its schema. */
    private List<JsonNode> scenario(List<Map<String, Object>> steps) throws Exception {
        Path fixture = Files.createTempFile(TypeScriptClient.HOME, "scenario-", ".json");
        try {
            JSON.writeValue(fixture.toFile(), Map.of("scenario", true, "calls", steps));
            TypeScriptClient.Run run = ts.run(RUN_TIMEOUT, "call",
                    "http://localhost:" + McpEndToEndTest.mcpPort(service) + "/mcp", fixture.toAbsolutePath().toString());
            List<JsonNode> calls = run.ofType("call");
            assertThat(calls).as(run.toString()).hasSize(steps.size());
            for (JsonNode c : calls) {
                assertThat(c.path("passed").asBoolean()).as("%s: %s", c.path("tool").asText(), c).isTrue();
            }
            assertThat(run.exitStatus()).as(run.toString()).isZero();
            assertThat(TestKey.isIn(run.toString())).as("the service's key in a result").isFalse();
            return calls;
        } finally {
            Files.deleteIfExists(fixture);
        }
    }

    /** What a step answered: its structured result (or its text when the tool has no output schema). */
    private static String text(JsonNode call) {
        JsonNode s = call.path("structuredContent");
        return s.isMissingNode() || s.isNull() ? call.path("text").asText() : s.toString();
    }

    @Test
    void provisionAServiceAccount() throws Exception {
        String name = "etl-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(step("create-bot", Map.of("name", name), "bot"));
        steps.add(step("upsert-workspace-bot-access", Map.of("access",
                Map.of("bot_id", "${bot.id}", "workspace_role_id", AdminSeed.ROLE_DEVELOPER_ID)), null));
        steps.add(step("read-bot", Map.of("id", "${bot.id}"), null));
        steps.add(step("read-actor-access", Map.of(), null));
        List<JsonNode> calls = scenario(steps);

        String key = JSON.readTree(text(calls.get(0))).at("/api_key/key").asText();
        assertThat(key).as("the new bot's key, shown once").isNotBlank();
        assertThat(text(calls.get(1))).contains(AdminSeed.ROLE_DEVELOPER_ID);
        assertThat(text(calls.get(2))).as("a later read").contains(name).doesNotContain(key);
        assertThat(text(calls.get(3))).as("who has access to the workspace").contains(name);
    }

    @Test
    void teamAndAccess() throws Exception {
        String team = "Data Engineering " + UUID.randomUUID().toString().substring(0, 4);
        List<JsonNode> calls = scenario(List.of(
                step("create-team", Map.of("name", team), "team"),
                step("upsert-team-members", Map.of("id", "${team.id}",
                        "members", List.of(Map.of("member_id", AdminSeed.DEMO_USER_ID, "member_type", "user"))), null),
                step("upsert-workspace-team-access", Map.of("accesses",
                        List.of(Map.of("team_id", "${team.id}", "workspace_role_id", AdminSeed.ROLE_DEVELOPER_ID))), null),
                step("read-team", Map.of("id", "${team.id}"), null),
                step("read-actor-access", Map.of(), null)));
        JsonNode read = JSON.readTree(text(calls.get(3)));
        assertThat(read.path("name").asText()).isEqualTo(team);
        assertThat(read.path("memberships").findValuesAsText("handle")).as("the new member").contains("marvin");
        assertThat(read.path("workspaces").findValuesAsText("workspace_role_id")).contains(AdminSeed.ROLE_DEVELOPER_ID);
        assertThat(text(calls.get(4))).contains(team);
    }

    @Test
    void multiWorkspaceSetup() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (String stage : List.of("dev", "staging", "prod")) {
            steps.add(step("create-workspace", Map.of("name", stage + " " + suffix, "handle", stage + "-" + suffix), stage));
        }
        steps.add(step("read-workspaces", Map.of(), null));
        steps.add(step("read-my-workspace-scopes", Map.of("workspace_id", "${prod.id}"), null));
        List<JsonNode> calls = scenario(steps);
        assertThat(text(calls.get(3))).contains("dev-" + suffix, "staging-" + suffix, "prod-" + suffix);
        assertThat(text(calls.get(4))).as("the creator's scopes in the new workspace").contains("manage_workspace");
    }

    @Test
    void inviteAUserAndRevokeTheInvitation() throws Exception {
        String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        List<JsonNode> calls = scenario(List.of(
                step("create-invitation", Map.of("invitations",
                        List.of(Map.of("email", email, "account_role_id", AdminSeed.ACCOUNT_ROLE_MEMBER_ID))), "sent"),
                step("revoke-invitation", Map.of("id", "${sent.invitations.0.id}"), null),
                step("read-invitations", Map.of(), null)));
        assertThat(text(calls.get(0))).contains(email);
        JsonNode invitations = JSON.readTree(text(calls.get(2))).path("invitations");
        boolean revoked = false;
        for (JsonNode i : invitations) {
            revoked |= i.path("email").asText().equals(email) && i.path("status").asText().equals("REVOKED");
        }
        assertThat(revoked).as("the invitation is revoked: %s", invitations).isTrue();
    }
}
