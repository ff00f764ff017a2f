package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's administration API over HTTP: every operation is routed, each resource kind goes through create →
 * read → update → delete with Prefect's statuses (404, 422, 409), and the operations with their own behaviour
 * (keys shown once, rotation, invitations, access upserts, team members, me/*, scopes) do what Prefect does.
 * One sandbox for the class, with a key of its own; each test makes its own records.
 */
class AdminSandboxHttpTest {

    private static final String KEY = "pnu_sandbox_admin_test_key_000000000000";
    private static final String A = PrefectSandbox.DEMO_ACCOUNT_ID;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PrefectSandbox sandbox;
    private static String api;
    private static String account;

    @BeforeAll
    static void start() {
        sandbox = PrefectSandbox.builder().apiKey(KEY).build().start();
        api = sandbox.baseUrl() + "/api";
        account = api + "/accounts/" + A;
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    // ------------------------------------------------------------------ helpers

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }
    }

    private static Reply call(String method, String url, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply call(String method, String url, String body) {
        return call(method, url, body, KEY);
    }

    private static JsonNode ok(Reply r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : r.json();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertValidationError(Reply r, String firstLoc) {
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        JsonNode detail = r.json().path("detail");
        assertThat(detail.isArray()).isTrue();
        assertThat(detail.size()).isPositive();
        for (JsonNode e : detail) {
            assertThat(e.path("loc").get(0).asText()).isEqualTo(firstLoc);
            assertThat(e.path("msg").asText()).isNotEmpty();
            assertThat(e.path("type").asText()).isNotEmpty();
        }
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    // ------------------------------------------------------------------ every operation

    @Test
    void everyAdminOperationOfTheDocumentIsRouted() {
        List<AdminSpec.Op> ops = AdminSpec.get().ops();
        assertThat(ops).hasSize(57);
        for (AdminSpec.Op op : ops) {
            StringBuilder path = new StringBuilder(api);
            for (String s : op.segments()) {
                path.append('/').append(s.startsWith("{") ? UUID.randomUUID().toString() : s);
            }
            Reply r = call(op.method(), path.toString(), null);
            assertThat(r.status()).as(op.id() + " " + r.body()).isIn(200, 201, 204, 404, 422);
            if (r.status() >= 400) {
                assertThat(r.json().has("detail")).as(op.id()).isTrue();
            }
        }
    }

    @Test
    void aWrongMethodIs405AndAnUnknownPath404() {
        Reply r = call("PATCH", api + "/me/", "{}");
        assertThat(r.status()).isEqualTo(405);
        assertThat(call("DELETE", account + "/teams/filter", null).status()).as("as FastAPI: filter is not an id").isEqualTo(422);
        assertThat(call("GET", api + "/accounts/" + A + "/nothing-here", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ CRUD per kind

    /** A resource kind: where to create it, a body, a bad body, an update, a filter body, a duplicate. */
    record Kind(String name, String collection, String create, String bad, String badLoc, String updateMethod, String update,
                int updateStatus, String changedField, String changedValue, String filter, String duplicate) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        String w = unique("ws");
        String t = unique("Team");
        String r = unique("Role");
        String b = unique("bot");
        return Stream.of(
                new Kind("workspace", "/workspaces", "{\"name\":\"" + w + "\",\"handle\":\"" + w + "\"}",
                        "{\"name\":\"" + w + "\"}", "body", "PATCH", "{\"description\":\"changed\"}", 204, "description", "changed",
                        "{\"workspaces\":{\"handle\":{\"any_\":[\"" + w + "\"]}}}", "{\"name\":\"other\",\"handle\":\"" + w + "\"}"),
                new Kind("team", "/teams", "{\"name\":\"" + t + "\"}", "{\"name\":\"" + t + "\",\"colour\":\"red\"}", "body",
                        "PUT", "{\"name\":\"" + t + "-b\"}", 200, "name", t + "-b",
                        "{\"teams\":{\"name\":{\"any_\":[\"" + t + "-b\"]}}}", "{\"name\":\"" + t + "-b\"}"),
                new Kind("workspace role", "/workspace_roles", "{\"name\":\"" + r + "\",\"scopes\":[\"see_flows\"]}",
                        "{\"name\":\"" + r + "\",\"description\":\"" + "x".repeat(141) + "\"}", "body",
                        "PATCH", "{\"scopes\":[\"see_flows\",\"run_flows\"]}", 204, "scopes", "[\"see_flows\",\"run_flows\"]",
                        "{\"workspace_roles\":{\"name\":{\"any_\":[\"" + r + "\"]}}}", "{\"name\":\"" + r + "\"}"),
                new Kind("bot", "/bots", "{\"name\":\"" + b + "\"}", "{\"name\":\"" + b + "\",\"account_role_id\":\"member\"}", "body",
                        "PATCH", "{\"name\":\"" + b + "-b\"}", 204, "name", b + "-b",
                        "{\"service_accounts\":{\"name\":{\"like_\":\"" + b + "-B\"}}}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void createReadUpdateDelete(Kind kind) {
        String collection = account + kind.collection();
        JsonNode created = ok(call("POST", collection + "/", kind.create()), 201);
        String id = created.path("id").asText();
        assertThat(Uuids.isUuid(id)).isTrue();
        assertThat(created.path("account_id").asText()).isEqualTo(A);
        String item = collection + "/" + id;

        assertThat(ok(call("GET", item, null), 200).path("id").asText()).isEqualTo(id);

        ok(call(kind.updateMethod(), item, kind.update()), kind.updateStatus());
        JsonNode changed = ok(call("GET", item, null), 200).path(kind.changedField());
        assertThat(changed.isTextual() ? changed.asText() : changed.toString()).isEqualTo(kind.changedValue());

        JsonNode found = ok(call("POST", collection + "/filter", kind.filter()), 200);
        assertThat(texts(found, "id")).containsExactly(id);

        if (kind.duplicate() != null) {
            Reply dup = call("POST", collection + "/", kind.duplicate());
            assertThat(dup.status()).as(dup.body()).isEqualTo(409);
            assertThat(dup.json().path("detail").asText()).isNotEmpty();
        }

        assertValidationError(call("POST", collection + "/", kind.bad()), kind.badLoc());
        assertValidationError(call("POST", collection + "/", null), "body");
        assertValidationError(call("POST", collection + "/", "{\"name\":"), "body");
        assertValidationError(call("GET", collection + "/not-a-uuid", null), "path");

        ok(call("DELETE", item, null), 204);
        Reply gone = call("GET", item, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("detail").isTextual()).isTrue();
        assertThat(call("DELETE", item, null).status()).isEqualTo(404);
        assertThat(call(kind.updateMethod(), item, kind.update()).status()).isEqualTo(404);
        assertThat(texts(ok(call("POST", collection + "/filter", "{}"), 200), "id")).doesNotContain(id);
    }

    @Test
    void filtersTakeLimitAndOffset() {
        for (int i = 0; i < 3; i++) {
            ok(call("POST", account + "/teams/", "{\"name\":\"" + unique("paged") + "\"}"), 201);
        }
        List<String> all = texts(ok(call("POST", account + "/teams/filter", "{}"), 200), "id");
        assertThat(all.size()).isGreaterThanOrEqualTo(5);
        List<String> page = texts(ok(call("POST", account + "/teams/filter", "{\"limit\":2,\"offset\":1}"), 200), "id");
        assertThat(page).containsExactlyElementsOf(all.subList(1, 3));
        assertValidationError(call("POST", account + "/teams/filter", "{\"limit\":201}"), "body");
        assertValidationError(call("POST", account + "/teams/filter", "{\"offset\":-1}"), "body");
    }

    @Test
    void builtInRolesCannotBeChangedAndAccountsAreUpdatedInPlace() {
        assertThat(call("DELETE", account + "/workspace_roles/" + AdminSeed.ROLE_OWNER_ID, null).status()).isEqualTo(403);
        ok(call("PATCH", account, "{\"location\":\"Earth\"}"), 204);
        assertThat(ok(call("GET", account, null), 200).path("location").asText()).isEqualTo("Earth");
        ok(call("PATCH", account + "/settings", "{\"ai_log_summaries\":true}"), 204);
        JsonNode settings = ok(call("GET", account + "/settings", null), 200);
        assertThat(settings.path("ai_log_summaries").asBoolean()).isTrue();
        assertThat(settings.path("managed_execution").asBoolean()).as("a default").isTrue();
        assertValidationError(call("PATCH", account + "/settings", "{\"ai_log_summaries\":\"maybe\"}"), "body");
    }

    @Test
    void usersAndMembershipsAreReadUpdatedAndUniqueByHandle() {
        JsonNode members = ok(call("POST", account + "/account_memberships/filter",
                "{\"account_memberships\":{\"email\":{\"any_\":[\"grace@prefect.example\"]}}}"), 200);
        assertThat(members).hasSize(1);
        String membership = members.get(0).path("id").asText();
        String grace = members.get(0).path("user_id").asText();
        ok(call("PATCH", account + "/account_memberships/" + membership, "{\"account_role_id\":\"" + AdminSeed.ACCOUNT_ROLE_ADMIN_ID + "\"}"), 204);
        assertThat(ok(call("GET", account + "/account_memberships/" + membership, null), 200).path("account_role_name").asText())
                .isEqualTo("Admin");
        assertThat(call("PATCH", account + "/account_memberships/" + membership,
                "{\"account_role_id\":\"" + UUID.randomUUID() + "\"}").status()).as("an unknown role").isEqualTo(404);

        ok(call("PATCH", api + "/users/" + grace, "{\"location\":\"Arlington\"}"), 204);
        assertThat(ok(call("GET", api + "/users/" + grace, null), 200).path("location").asText()).isEqualTo("Arlington");
        assertThat(call("PATCH", api + "/users/" + grace, "{\"handle\":\"marvin\"}").status()).as("a taken handle").isEqualTo(409);
        assertValidationError(call("PATCH", api + "/users/" + grace, "{\"email\":\"not-an-email\"}"), "body");
        assertThat(call("GET", api + "/users/" + UUID.randomUUID(), null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ seed

    @Test
    void theSeedHasSomethingToSee() {
        JsonNode me = ok(call("GET", api + "/me/", null), 200);
        assertThat(me.path("id").asText()).isEqualTo(AdminSeed.DEMO_USER_ID);
        assertThat(me.path("email").asText()).contains("@");

        JsonNode accounts = ok(call("GET", api + "/me/accounts", null), 200);
        assertThat(texts(accounts, "account_id")).contains(A);
        assertThat(texts(accounts, "account_role_name")).contains("Owner");

        JsonNode workspaces = ok(call("POST", account + "/workspaces/filter", "{}"), 200);
        assertThat(texts(workspaces, "id")).contains(PrefectSandbox.DEMO_WORKSPACE_ID, AdminSeed.ANALYTICS_WORKSPACE_ID);
        assertThat(texts(ok(call("GET", api + "/me/workspaces", null), 200), "workspace_id"))
                .contains(PrefectSandbox.DEMO_WORKSPACE_ID, AdminSeed.ANALYTICS_WORKSPACE_ID);

        JsonNode roles = ok(call("POST", account + "/workspace_roles/filter", "{\"workspace_roles\":{\"is_global\":true}}"), 200);
        assertThat(texts(roles, "name")).contains("Viewer", "Runner", "Developer", "Owner", "Worker");
        for (JsonNode role : roles) {
            assertThat(role.path("account_id").isNull()).isTrue();
            assertThat(role.path("scopes")).isNotEmpty();
        }
        JsonNode viewer = ok(call("GET", account + "/workspace_roles/" + AdminSeed.ROLE_VIEWER_ID, null), 200);
        viewer.path("scopes").forEach(s -> assertThat(s.asText()).startsWith("see_"));

        assertThat(ok(call("POST", account + "/teams/filter", "{}"), 200).size()).isGreaterThanOrEqualTo(2);
        assertThat(ok(call("POST", account + "/bots/filter", "{}"), 200).size()).isGreaterThanOrEqualTo(2);
        assertThat(ok(call("POST", account + "/account_memberships/filter", "{\"only_users\":true}"), 200).size()).isGreaterThanOrEqualTo(3);
        assertThat(texts(ok(call("POST", account + "/invitations/filter",
                "{\"invitations\":{\"status\":{\"any_\":[\"PENDING\"]}}}"), 200), "status")).isNotEmpty().containsOnly("PENDING");
        assertThat(ok(call("GET", api + "/me/sessions", null), 200)).isNotEmpty();

        JsonNode keys = ok(call("GET", api + "/me/api_keys", null), 200);
        assertThat(keys).isNotEmpty();
        for (JsonNode k : keys) {
            assertThat(k.has("key")).isFalse();
            assertThat(k.path("masked_key").asText()).matches("pnu_\\.\\.\\.[0-9A-Za-z]{4}");
        }
        assertThat(ok(call("GET", api + "/me/api_keys?name=laptop", null), 200)).hasSize(1);
        assertThat(ok(call("GET", account + "/rate-limits/status", null), 200).path("exceeded_buckets")).isEmpty();
    }

    @Test
    void workspaceScopesAreTheDocumentsAndMyScopesComeFromMyRoles() {
        JsonNode scopes = ok(call("GET", api + "/workspace_scopes", null), 200);
        assertThat(scopes.size()).isEqualTo(AdminSpec.get().scopeNames().size());
        for (JsonNode s : scopes) {
            if (s.path("name").asText().equals("manage_flows")) {
                assertThat(s.path("see_scope").asText()).isEqualTo("see_flows");
                assertThat(s.path("includes_scopes").size()).isOne();
            }
        }
        JsonNode mine = ok(call("GET", api + "/me/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/scopes", null), 200);
        assertThat(mine.size()).as("an Owner has every scope").isEqualTo(scopes.size());
        assertThat(call("GET", api + "/me/workspaces/" + UUID.randomUUID() + "/scopes", null).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ bots and keys

    @Test
    void aBotsKeyIsShownOnceAndWorksUntilTheBotIsDeleted() {
        JsonNode bot = ok(call("POST", account + "/bots/", "{\"name\":\"" + unique("deployer") + "\"}"), 201);
        String key = bot.path("api_key").path("key").asText();
        assertThat(key).startsWith("pnb_").hasSizeGreaterThan(20);
        assertThat(bot.path("account_role_name").asText()).isEqualTo("Member");
        String id = bot.path("id").asText();

        Reply read = call("GET", account + "/bots/" + id, null);
        assertThat(read.body()).doesNotContain(key);
        assertThat(read.json().path("api_key").has("key")).isFalse();
        assertThat(read.json().path("api_key").path("masked_key").asText()).endsWith(key.substring(key.length() - 4));
        assertThat(call("POST", account + "/bots/filter", "{}").body()).doesNotContain(key);

        ok(call("POST", account + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/bot_access/",
                "{\"bot_id\":\"" + id + "\",\"workspace_role_id\":\"" + AdminSeed.ROLE_RUNNER_ID + "\"}"), 200);
        String events = account + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/events/filter";
        assertThat(call("POST", events, "{}", key).status()).as("the bot's key").isEqualTo(200);
        JsonNode scopes = ok(call("GET", api + "/me/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/scopes", null, key), 200);
        assertThat(scopes.size()).isLessThan(AdminSpec.get().scopeNames().size());
        assertThat(scopes.toString()).contains("run_deployments").doesNotContain("manage_workspace_users");

        ok(call("DELETE", account + "/bots/" + id, null), 204);
        assertThat(call("POST", events, "{}", key).status()).as("a deleted bot's key").isEqualTo(401);
        assertThat(call("POST", events, "{}", "pnb_never_issued").status()).isEqualTo(401);
    }

    @Test
    void rotatingAKeyShowsTheNewOneOnceAndKeepsTheOldOneOnlyWhenAsked() {
        JsonNode bot = ok(call("POST", account + "/bots/", "{\"name\":\"" + unique("rotated") + "\"}"), 201);
        String rotate = account + "/bots/" + bot.path("id").asText() + "/rotate_api_key";
        String first = bot.path("api_key").path("key").asText();
        String probe = api + "/me/";

        String second = ok(call("POST", rotate, "{\"old_key_expires_in_seconds\":3600}"), 201).path("api_key").path("key").asText();
        assertThat(second).isNotEqualTo(first).startsWith("pnb_");
        assertThat(call("GET", probe, null, first).status()).as("kept for an hour").isEqualTo(200);
        assertThat(call("GET", probe, null, second).status()).isEqualTo(200);

        String third = ok(call("POST", rotate, null), 201).path("api_key").path("key").asText();
        assertThat(call("GET", probe, null, second).status()).as("no grace asked: gone at once").isEqualTo(401);
        assertThat(call("GET", probe, null, third).status()).isEqualTo(200);

        assertValidationError(call("POST", rotate, "{\"old_key_expires_in_seconds\":172801}"), "body");
        assertThat(call("POST", account + "/bots/" + UUID.randomUUID() + "/rotate_api_key", null).status()).isEqualTo(404);
    }

    @Test
    void aUserApiKeyIsShownOnceMaskedLaterAndAcceptedAsAKey() {
        String user = api + "/users/" + AdminSeed.DEMO_USER_ID + "/api_keys";
        JsonNode created = ok(call("POST", user, "{\"name\":\"" + unique("script") + "\"}"), 201);
        String key = created.path("key").asText();
        assertThat(key).startsWith("pnu_");
        Reply list = call("GET", user, null);
        assertThat(list.body()).doesNotContain(key);
        assertThat(texts(list.json(), "id")).contains(created.path("id").asText());
        assertThat(ok(call("GET", api + "/me/", null, key), 200).path("id").asText()).isEqualTo(AdminSeed.DEMO_USER_ID);
        assertValidationError(call("POST", user, "{\"name\":\"x\",\"expiration\":\"tomorrow\"}"), "body");
        assertThat(call("POST", api + "/users/" + UUID.randomUUID() + "/api_keys", "{\"name\":\"x\"}").status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ invitations, access, teams

    @Test
    void anInvitationIsPendingUntilRevokedAndRevokingTwiceIsFine() {
        String email = unique("someone") + "@example.com";
        JsonNode made = ok(call("POST", account + "/invitations/",
                "[{\"email\":\"" + email + "\",\"account_role_id\":\"" + AdminSeed.ACCOUNT_ROLE_MEMBER_ID + "\"}]"), 201);
        assertThat(made).hasSize(1);
        assertThat(made.get(0).path("status").asText()).isEqualTo("PENDING");
        assertThat(Instant.parse(made.get(0).path("expiration").asText())).isAfter(Instant.now());
        String revoke = account + "/invitations/" + made.get(0).path("id").asText() + "/revoke";
        ok(call("POST", revoke, null), 204);
        ok(call("POST", revoke, null), 204);
        JsonNode found = ok(call("POST", account + "/invitations/filter", "{\"invitations\":{\"email\":{\"any_\":[\"" + email + "\"]}}}"), 200);
        assertThat(texts(found, "status")).containsExactly("REVOKED");

        assertThat(call("POST", account + "/invitations/" + UUID.randomUUID() + "/revoke", null).status()).isEqualTo(404);
        assertValidationError(call("POST", account + "/invitations/", "[{\"email\":\"nobody\",\"account_role_id\":\""
                + AdminSeed.ACCOUNT_ROLE_MEMBER_ID + "\"}]"), "body");
        assertThat(call("POST", account + "/invitations/", "[{\"email\":\"a@example.com\",\"account_role_id\":\""
                + UUID.randomUUID() + "\"}]").status()).as("an unknown role").isEqualTo(404);
    }

    @Test
    void accessUpsertsInsertOrChangeTheRoleAndActorAccessListsEveryone() {
        JsonNode ws = ok(call("POST", account + "/workspaces/", "{\"name\":\"Access\",\"handle\":\"" + unique("access") + "\"}"), 201);
        String w = account + "/workspaces/" + ws.path("id").asText();
        String ada = ok(call("POST", account + "/account_memberships/filter",
                "{\"account_memberships\":{\"handle\":{\"any_\":[\"ada\"]}}}"), 200).get(0).path("user_id").asText();

        JsonNode first = ok(call("POST", w + "/user_access/",
                "{\"user_id\":\"" + ada + "\",\"workspace_role_id\":\"" + AdminSeed.ROLE_VIEWER_ID + "\"}"), 200);
        assertThat(first.path("email").asText()).isEqualTo("ada@prefect.example");
        JsonNode again = ok(call("POST", w + "/user_access/",
                "[{\"user_id\":\"" + ada + "\",\"workspace_role_id\":\"" + AdminSeed.ROLE_DEVELOPER_ID + "\"}]"), 200);
        assertThat(again.isArray()).as("a list answers a list").isTrue();
        assertThat(again.get(0).path("id").asText()).as("the same access").isEqualTo(first.path("id").asText());
        assertThat(again.get(0).path("workspace_role_id").asText()).isEqualTo(AdminSeed.ROLE_DEVELOPER_ID);
        JsonNode accesses = ok(call("POST", w + "/user_access/filter", "{}"), 200);
        assertThat(texts(accesses, "user_id")).containsExactlyInAnyOrder(ada, AdminSeed.DEMO_USER_ID);
        assertThat(texts(accesses, "workspace_id")).containsOnly(ws.path("id").asText());
        assertThat(ok(call("GET", w + "/user_access/" + first.path("id").asText(), null), 200).path("handle").asText()).isEqualTo("ada");

        JsonNode team = ok(call("POST", account + "/teams/", "{\"name\":\"" + unique("Ops") + "\"}"), 201);
        JsonNode teamAccess = ok(call("PUT", w + "/team_access/",
                "[{\"team_id\":\"" + team.path("id").asText() + "\",\"workspace_role_id\":\"" + AdminSeed.ROLE_RUNNER_ID + "\"}]"), 200);
        assertThat(teamAccess.get(0).path("team_id").asText()).isEqualTo(team.path("id").asText());
        JsonNode teamAccesses = ok(call("POST", w + "/team_access/filter", "{}"), 200);
        assertThat(texts(teamAccesses, "team_name")).containsExactly(team.path("name").asText());
        assertThat(texts(teamAccesses, "workspace_id")).as("this workspace's only").containsOnly(ws.path("id").asText());

        JsonNode actors = ok(call("GET", w + "/access/", null), 200);
        assertThat(texts(actors, "type")).contains("user", "team");
        assertThat(texts(actors, "name")).contains("Ada Lovelace", team.path("name").asText());

        assertThat(call("POST", w + "/user_access/", "{\"user_id\":\"" + ada + "\",\"workspace_role_id\":\"" + UUID.randomUUID() + "\"}")
                .status()).as("an unknown role").isEqualTo(404);
        assertThat(call("POST", w + "/user_access/", "{\"user_id\":\"" + UUID.randomUUID() + "\",\"workspace_role_id\":\""
                + AdminSeed.ROLE_VIEWER_ID + "\"}").status()).as("an unknown user").isEqualTo(404);
        assertValidationError(call("POST", w + "/user_access/", "{\"user_id\":\"" + ada + "\"}"), "body");

        ok(call("DELETE", w + "/team_access/" + team.path("id").asText(), null), 204);
        assertThat(call("DELETE", w + "/team_access/" + team.path("id").asText(), null).status()).isEqualTo(404);
        ok(call("DELETE", w + "/user_access/" + first.path("id").asText(), null), 204);
        assertThat(texts(ok(call("GET", w + "/access/", null), 200), "name")).doesNotContain("Ada Lovelace", team.path("name").asText());
    }

    @Test
    void teamMembersAreUpsertedAndRemoved() {
        JsonNode team = ok(call("POST", account + "/teams/", "{\"name\":\"" + unique("Members") + "\"}"), 201);
        String t = account + "/teams/" + team.path("id").asText();
        JsonNode bot = ok(call("POST", account + "/bots/", "{\"name\":\"" + unique("member-bot") + "\"}"), 201);
        String body = "{\"members\":[{\"member_id\":\"" + AdminSeed.DEMO_USER_ID + "\",\"member_type\":\"user\"},"
                + "{\"member_id\":\"" + bot.path("id").asText() + "\",\"member_type\":\"service_account\"}]}";
        ok(call("PUT", t + "/members", body), 200);
        ok(call("PUT", t + "/members", body), 200);
        JsonNode members = ok(call("GET", t, null), 200).path("memberships");
        assertThat(texts(members, "type")).containsExactly("user", "service_account");
        String botActor = bot.path("actor_id").asText();
        assertThat(texts(members, "id")).contains(botActor);

        ok(call("DELETE", t + "/members/" + botActor, null), 204);
        assertThat(texts(ok(call("GET", t, null), 200).path("memberships"), "id")).doesNotContain(botActor);
        assertThat(call("DELETE", t + "/members/" + botActor, null).status()).isEqualTo(404);
        assertValidationError(call("PUT", t + "/members", "{\"members\":[{\"member_id\":\"" + botActor + "\",\"member_type\":\"robot\"}]}"), "body");
        assertThat(call("PUT", account + "/teams/" + UUID.randomUUID() + "/members", body).status()).isEqualTo(404);
    }

    @Test
    void aDeletedUserLosesMembershipAccessAndKeys() {
        try (PrefectSandbox own = PrefectSandbox.builder().build().start()) {
            String ownApi = own.baseUrl() + "/api";
            String user = ownApi + "/users/" + AdminSeed.DEMO_USER_ID;
            String key = ok(call("POST", user + "/api_keys", "{\"name\":\"doomed\"}", null), 201).path("key").asText();
            assertThat(call("GET", ownApi + "/me/", null, key).status()).isEqualTo(200);

            ok(call("DELETE", user, null, null), 204);
            assertThat(call("GET", user, null, null).status()).isEqualTo(404);
            assertThat(call("GET", ownApi + "/me/", null, key).status()).as("the deleted user's key").isEqualTo(401);
            assertThat(call("GET", ownApi + "/me/", null, null).status()).isEqualTo(404);
            String ownAccount = ownApi + "/accounts/" + A;
            assertThat(texts(ok(call("POST", ownAccount + "/account_memberships/filter", "{}", null), 200), "handle")).doesNotContain("marvin");
            assertThat(texts(ok(call("GET", ownAccount + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/access/", null, null), 200),
                    "email")).doesNotContain("marvin@prefect.example");
            assertThat(ok(call("POST", ownAccount + "/teams/", "{\"name\":\"After\"}", null), 201).path("name").asText()).isEqualTo("After");
        }
    }

    @Test
    void deletingTheAccountClosesItsWorkspacesToEvents() {
        try (PrefectSandbox own = PrefectSandbox.builder().build().start()) {
            String ownAccount = own.baseUrl() + "/api/accounts/" + A;
            ok(call("DELETE", ownAccount, null, null), 204);
            assertThat(call("GET", ownAccount, null, null).status()).isEqualTo(404);
            assertThat(call("POST", ownAccount + "/teams/filter", "{}", null).status()).isEqualTo(404);
            assertThat(call("POST", ownAccount + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID + "/events/filter", "{}", null).status())
                    .isEqualTo(404);
            assertThat(call("POST", ownAccount + "/events/filter", "{}", null).status()).isEqualTo(404);
        }
    }

    // ------------------------------------------------------------------ events and workspaces agree

    @Test
    void aNewWorkspaceTakesEventsAndADeletedOneNoLonger() {
        JsonNode ws = ok(call("POST", account + "/workspaces/", "{\"name\":\"Events\",\"handle\":\"" + unique("events") + "\"}"), 201);
        String w = account + "/workspaces/" + ws.path("id").asText();
        String event = "[{\"id\":\"" + UUID.randomUUID() + "\",\"occurred\":\"" + Instant.now() + "\",\"event\":\"acme.admin.test\","
                + "\"resource\":{\"prefect.resource.id\":\"acme.admin.1\"}}]";
        ok(call("POST", w + "/events", event), 204);
        JsonNode page = ok(call("POST", w + "/events/filter", "{}"), 200);
        assertThat(page.path("total").asInt()).isOne();
        assertThat(page.path("events").get(0).path("event").asText()).isEqualTo("acme.admin.test");

        ok(call("DELETE", w, null), 204);
        assertThat(call("POST", w + "/events", event).status()).isEqualTo(404);
        assertThat(call("POST", w + "/events/filter", "{}").status()).isEqualTo(404);
        assertThat(call("POST", account + "/workspaces/" + UUID.randomUUID() + "/events/filter", "{}").status())
                .as("a workspace the demo account does not have").isEqualTo(404);
        assertThat(call("POST", api + "/accounts/" + UUID.randomUUID() + "/workspaces/" + UUID.randomUUID() + "/events/filter", "{}")
                .status()).as("accounts the sandbox does not hold stay open").isEqualTo(200);
        assertThat(call("POST", account + "/events/filter", "{}").status()).isEqualTo(200);
    }

    @Test
    void theCreatorOfAWorkspaceIsItsOwner() {
        Set<String> before = new HashSet<>(texts(ok(call("GET", api + "/me/workspaces", null), 200), "workspace_id"));
        JsonNode ws = ok(call("POST", account + "/workspaces/", "{\"name\":\"Mine\",\"handle\":\"" + unique("mine") + "\"}"), 201);
        String id = ws.path("id").asText();
        assertThat(before).doesNotContain(id);
        assertThat(texts(ok(call("GET", api + "/me/workspaces", null), 200), "workspace_id")).contains(id);
        assertThat(ok(call("GET", api + "/me/workspaces/" + id + "/scopes", null), 200).toString()).contains("manage_workspace_users");
    }
}
