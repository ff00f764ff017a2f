package io.prefectcamel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefectcamel.sandbox.AdminSeed;
import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FacadeClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Administration through the real service over REST, on the sandbox's demo account: what an operator does to
 * provision a pipeline's service account, set up a team, lay out workspaces, and invite (and uninvite) a user.
 */
class AdminScenariosE2ETest {

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "/v1/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID;
    private static final String DEMO = ACCOUNT + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID;

    private final FacadeClient client = e2e.client();

    private static JsonNode json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        try {
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    /** A built-in workspace role's id, found by name as a caller would. */
    private String role(String name) {
        JsonNode roles = json(client.post(ACCOUNT + "/workspace-roles/filter",
                "{\"workspace_roles\": {\"name\": {\"any_\": [\"" + name + "\"]}}}"), 200);
        assertThat(roles).hasSize(1);
        return roles.get(0).path("id").asText();
    }

    @Test
    void provisionAServiceAccount() {
        String name = unique("pipeline");
        JsonNode bot = json(client.post(ACCOUNT + "/bots", "{\"name\": \"" + name + "\"}"), 201);
        String id = bot.path("id").asText();
        String key = bot.path("api_key").path("key").asText();
        assertThat(key).as("the key, shown this once").startsWith("pnb_");

        JsonNode access = json(client.post(DEMO + "/bot-access",
                "{\"bot_id\": \"" + id + "\", \"workspace_role_id\": \"" + role("Runner") + "\"}"), 200);
        assertThat(access.path("bot_name").asText()).isEqualTo(name);
        assertThat(access.path("workspace_id").asText()).isEqualTo(PrefectSandbox.DEMO_WORKSPACE_ID);

        HttpResponse<String> read = client.get(ACCOUNT + "/bots/" + id);
        JsonNode again = json(read, 200);
        assertThat(read.body()).doesNotContain(key);
        assertThat(again.path("api_key").has("key")).isFalse();
        assertThat(again.path("api_key").path("masked_key").asText()).endsWith(key.substring(key.length() - 4));
        HttpResponse<String> list = client.post(ACCOUNT + "/bots/filter", "{\"service_accounts\": {\"name\": {\"any_\": [\"" + name + "\"]}}}");
        assertThat(texts(json(list, 200), "id")).containsExactly(id);
        assertThat(list.body()).doesNotContain(key);

        // the pipeline can use the key against Prefect (here, the sandbox) itself
        String events = "/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/events/filter";
        assertThat(e2e.direct("POST", events, "{}", "Bearer " + key).statusCode()).isEqualTo(200);
        json(client.delete(ACCOUNT + "/bots/" + id), 204);
        assertThat(e2e.direct("POST", events, "{}", "Bearer " + key).statusCode()).as("a deleted bot's key").isEqualTo(401);
    }

    @Test
    void aTeamWithAMemberAndAWorkspaceRole() {
        String name = unique("Data Engineering");
        JsonNode team = json(client.post(ACCOUNT + "/teams", "{\"name\": \"" + name + "\", \"description\": \"Pipelines\"}"), 201);
        String teamId = team.path("id").asText();
        assertThat(json(client.post(ACCOUNT + "/teams", "{\"name\": \"" + name + "\"}"), 409).path("detail").asText()).contains(name);

        json(client.send("PUT", ACCOUNT + "/teams/" + teamId + "/members",
                "{\"members\": [{\"member_id\": \"" + AdminSeed.DEMO_USER_ID + "\", \"member_type\": \"user\"}]}"), 200);
        JsonNode members = json(client.get(ACCOUNT + "/teams/" + teamId), 200).path("memberships");
        assertThat(texts(members, "handle")).containsExactly("marvin");

        JsonNode granted = json(client.send("PUT", DEMO + "/team-access",
                "[{\"team_id\": \"" + teamId + "\", \"workspace_role_id\": \"" + role("Developer") + "\"}]"), 200);
        assertThat(texts(granted, "team_id")).containsExactly(teamId);

        JsonNode actors = json(client.get(DEMO + "/access"), 200);
        boolean found = false;
        for (JsonNode actor : actors) {
            found |= actor.path("id").asText().equals(teamId) && actor.path("type").asText().equals("team")
                    && actor.path("name").asText().equals(name);
        }
        assertThat(found).as(actors.toString()).isTrue();
        assertThat(texts(json(client.post(DEMO + "/team-access/filter", "{}"), 200), "team_name")).contains(name);
    }

    @Test
    void devStagingAndProdWorkspacesWithMyScopes() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        for (String stage : List.of("dev", "staging", "prod")) {
            String handle = stage + "-" + suffix;
            JsonNode ws = json(client.post(ACCOUNT + "/workspaces",
                    "{\"name\": \"" + stage + "\", \"handle\": \"" + handle + "\", \"description\": \"The " + stage + " workspace\"}"), 201);
            ids.add(ws.path("id").asText());
            handles.add(handle);
        }
        json(client.post(ACCOUNT + "/workspaces", "{\"name\": \"again\", \"handle\": \"" + handles.get(0) + "\"}"), 409);

        JsonNode listed = json(client.post(ACCOUNT + "/workspaces/filter",
                "{\"workspaces\": {\"handle\": {\"any_\": " + JSON.valueToTree(handles) + "}}}"), 200);
        assertThat(texts(listed, "id")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(texts(json(client.post(ACCOUNT + "/workspaces/filter", "{}"), 200), "id"))
                .contains(PrefectSandbox.DEMO_WORKSPACE_ID).containsAll(ids);

        for (String id : ids) {
            List<String> scopes = texts(json(client.get("/v1/api/me/workspaces/" + id + "/scopes"), 200), null);
            assertThat(scopes).as("the creator owns it").contains("see_flows", "run_deployments", "manage_workspace_users");
        }
        assertThat(texts(json(client.get("/v1/api/me/workspaces"), 200), "workspace_id")).containsAll(ids);

        // events reach the new workspace, and stop at a deleted one
        String prod = "/v1/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID + "/workspaces/" + ids.get(2);
        e2e.reader().create(new Scope(PrefectSandbox.DEMO_ACCOUNT_ID, ids.get(2)), List.of(Events.event("acme.deploy.done", "acme.deploy.1")));
        assertThat(json(client.post(prod + "/events/filter", "{}"), 200).path("total").asInt()).isOne();
        json(client.delete(ACCOUNT + "/workspaces/" + ids.get(0)), 204);
        assertThat(client.post(ACCOUNT + "/workspaces/" + ids.get(0) + "/events/filter", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void inviteAUserWithARoleAndRevokeTheInvitation() {
        String email = unique("new.colleague") + "@example.com";
        JsonNode made = json(client.post(ACCOUNT + "/invitations",
                "[{\"email\": \"" + email + "\", \"account_role_id\": \"" + AdminSeed.ACCOUNT_ROLE_MEMBER_ID + "\"}]"), 201);
        assertThat(made).hasSize(1);
        JsonNode invitation = made.get(0);
        assertThat(invitation.path("status").asText()).isEqualTo("PENDING");
        assertThat(invitation.path("account_role_id").asText()).isEqualTo(AdminSeed.ACCOUNT_ROLE_MEMBER_ID);
        String id = invitation.path("id").asText();

        json(client.post(ACCOUNT + "/invitations/" + id + "/revoke", null), 204);
        JsonNode found = json(client.post(ACCOUNT + "/invitations/filter",
                "{\"invitations\": {\"email\": {\"any_\": [\"" + email + "\"]}}}"), 200);
        assertThat(texts(found, "status")).containsExactly("REVOKED");
        json(client.post(ACCOUNT + "/invitations/" + id + "/revoke", null), 204);
        assertThat(client.post(ACCOUNT + "/invitations/" + UUID.randomUUID() + "/revoke", null).statusCode()).isEqualTo(404);
    }
}
