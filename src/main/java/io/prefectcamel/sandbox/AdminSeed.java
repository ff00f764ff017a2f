package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The administration data every sandbox starts with, so a first run has something to see: the demo account with
 * two workspaces (the demo workspace and "analytics"), Prefect's account roles and built-in workspace roles, three
 * users (the caller, {@link #DEMO_USER_ID}, is the account's owner), two bots, two teams, workspace access for all
 * of them, two invitations, the caller's API keys (masked; their keys are never shown) and a session.
 * Ids are fixed from run to run.
 */
public final class AdminSeed {

    /** The user the sandbox's own key (or no key) acts as: what {@code GET /api/me/} answers. */
    public static final String DEMO_USER_ID = "5d1c7a3e-2b4f-4e6a-8c9d-0e1f2a3b4c5d";
    /** The second seeded workspace of the demo account. */
    public static final String ANALYTICS_WORKSPACE_ID = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
    /** Prefect's account roles. */
    public static final String ACCOUNT_ROLE_OWNER_ID = "0c5f2a8e-7b1d-4c3e-9a6f-1b2c3d4e5f60";
    public static final String ACCOUNT_ROLE_ADMIN_ID = "0c5f2a8e-7b1d-4c3e-9a6f-1b2c3d4e5f61";
    public static final String ACCOUNT_ROLE_MEMBER_ID = "0c5f2a8e-7b1d-4c3e-9a6f-1b2c3d4e5f62";
    /** Prefect's built-in workspace roles (they belong to no account). */
    public static final String ROLE_VIEWER_ID = "1d6e3b9f-8c2e-4d4f-8b7a-2c3d4e5f6a70";
    public static final String ROLE_RUNNER_ID = "1d6e3b9f-8c2e-4d4f-8b7a-2c3d4e5f6a71";
    public static final String ROLE_DEVELOPER_ID = "1d6e3b9f-8c2e-4d4f-8b7a-2c3d4e5f6a72";
    public static final String ROLE_OWNER_ID = "1d6e3b9f-8c2e-4d4f-8b7a-2c3d4e5f6a73";
    public static final String ROLE_WORKER_ID = "1d6e3b9f-8c2e-4d4f-8b7a-2c3d4e5f6a74";

    /** Scopes only an Owner has: who may do what in the workspace. */
    private static final Set<String> OWNER_ONLY = Set.of("manage_workspace_users", "manage_workspace_service_accounts",
            "manage_workspace_teams", "manage_workspace_settings", "manage_acls");
    /** What a worker process needs: poll its pool and queues, read deployments and flows, report runs. */
    private static final Set<String> WORKER = Set.of("see_flows", "run_flows", "see_deployments", "see_work_queues",
            "see_work_pools", "see_workers", "write_workers", "see_concurrency_limits", "see_blocks", "see_secret_blocks",
            "see_variables", "see_events");

    private AdminSeed() {
    }

    static void seed(AdminStore store, List<String> scopeNames) {
        Random ids = new Random(20240401L);
        String now = store.now();
        String a = PrefectSandbox.DEMO_ACCOUNT_ID;

        ObjectNode account = record(a, now);
        account.put("name", "Demo Account");
        account.put("handle", "demo");
        account.put("plan_type", "ORGANIZATION");
        account.put("plan_tier", "PRO");
        account.put("scim_state", "DISABLED");
        account.put("sso_state", "DISABLED");
        account.put("work_pool_limit", 10);
        account.put("mex_work_pool_limit", 2);
        account.put("run_retention_days", 30);
        account.put("audit_log_retention_days", 30);
        account.put("automations_limit", 50);
        account.putArray("features").add("teams").add("custom_roles").add("service_accounts");
        account.putObject("settings");
        store.put(AdminStore.ACCOUNTS, account);

        accountRole(store, ACCOUNT_ROLE_OWNER_ID, "Owner", now);
        accountRole(store, ACCOUNT_ROLE_ADMIN_ID, "Admin", now);
        accountRole(store, ACCOUNT_ROLE_MEMBER_ID, "Member", now);

        List<String> viewer = new ArrayList<>();
        List<String> runner = new ArrayList<>();
        List<String> developer = new ArrayList<>();
        List<String> worker = new ArrayList<>();
        for (String s : scopeNames) {
            if (s.startsWith("see_")) {
                viewer.add(s);
                runner.add(s);
            } else if (s.startsWith("run_")) {
                runner.add(s);
            }
            if (!OWNER_ONLY.contains(s)) {
                developer.add(s);
            }
            if (WORKER.contains(s)) {
                worker.add(s);
            }
        }
        role(store, ROLE_VIEWER_ID, "Viewer", "Can see everything in the workspace.", viewer, now);
        role(store, ROLE_RUNNER_ID, "Runner", "Can see everything and run deployments.", runner, now);
        role(store, ROLE_DEVELOPER_ID, "Developer", "Can do everything but manage who has access.", developer, now);
        role(store, ROLE_OWNER_ID, "Owner", "Can do everything in the workspace.", scopeNames, now);
        role(store, ROLE_WORKER_ID, "Worker", "What a worker needs to pick up and run flows.", worker, now);

        workspace(store, PrefectSandbox.DEMO_WORKSPACE_ID, "Demo", "demo", "The seeded demo workspace, with demo events.", now);
        workspace(store, ANALYTICS_WORKSPACE_ID, "Analytics", "analytics", "A second workspace.", now);

        ObjectNode me = user(store, DEMO_USER_ID, Uuids.random(ids), "marvin", "Marvin", "Paranoid", "marvin@prefect.example", now);
        me.put("personal_account_id", (String) null);
        ObjectNode ada = user(store, Uuids.random(ids), Uuids.random(ids), "ada", "Ada", "Lovelace", "ada@prefect.example", now);
        ObjectNode grace = user(store, Uuids.random(ids), Uuids.random(ids), "grace", "Grace", "Hopper", "grace@prefect.example", now);
        membership(store, Uuids.random(ids), me, ACCOUNT_ROLE_OWNER_ID, now);
        membership(store, Uuids.random(ids), ada, ACCOUNT_ROLE_ADMIN_ID, now);
        membership(store, Uuids.random(ids), grace, ACCOUNT_ROLE_MEMBER_ID, now);

        ObjectNode ci = bot(store, Uuids.random(ids), Uuids.random(ids), "ci-deployer", now);
        ObjectNode etl = bot(store, Uuids.random(ids), Uuids.random(ids), "nightly-etl", now);
        membership(store, Uuids.random(ids), ci, ACCOUNT_ROLE_MEMBER_ID, now);
        membership(store, Uuids.random(ids), etl, ACCOUNT_ROLE_MEMBER_ID, now);

        ObjectNode platform = team(store, Uuids.random(ids), "Platform", "Runs the Prefect platform.", now, me, ada, ci);
        ObjectNode analysts = team(store, Uuids.random(ids), "Analysts", "Reads results.", now, grace);

        access(store, AdminStore.USER_ACCESS, "user_id", me, PrefectSandbox.DEMO_WORKSPACE_ID, ROLE_OWNER_ID, Uuids.random(ids), now);
        access(store, AdminStore.USER_ACCESS, "user_id", me, ANALYTICS_WORKSPACE_ID, ROLE_OWNER_ID, Uuids.random(ids), now);
        access(store, AdminStore.USER_ACCESS, "user_id", ada, PrefectSandbox.DEMO_WORKSPACE_ID, ROLE_DEVELOPER_ID, Uuids.random(ids), now);
        access(store, AdminStore.BOT_ACCESS, "bot_id", ci, PrefectSandbox.DEMO_WORKSPACE_ID, ROLE_DEVELOPER_ID, Uuids.random(ids), now);
        access(store, AdminStore.BOT_ACCESS, "bot_id", etl, ANALYTICS_WORKSPACE_ID, ROLE_RUNNER_ID, Uuids.random(ids), now);
        access(store, AdminStore.TEAM_ACCESS, "team_id", platform, ANALYTICS_WORKSPACE_ID, ROLE_DEVELOPER_ID, Uuids.random(ids), now);
        access(store, AdminStore.TEAM_ACCESS, "team_id", analysts, PrefectSandbox.DEMO_WORKSPACE_ID, ROLE_VIEWER_ID, Uuids.random(ids), now);

        invitation(store, Uuids.random(ids), "new.hire@prefect.example", "PENDING", now);
        invitation(store, Uuids.random(ids), "former.guest@prefect.example", "REVOKED", now);

        store.issueKey("pnu_", me.get("actor_id").asText(), "laptop", null);
        store.issueKey("pnu_", me.get("actor_id").asText(), "ci", null);

        ObjectNode session = record(Uuids.random(ids), now);
        session.put("user_id", DEMO_USER_ID);
        session.put("ip_address", "127.0.0.1");
        session.put("location", "Loopback");
        session.put("user_agent", "prefect-sandbox");
        session.put("expires_at", store.clock().instant().getEpochSecond() + 7 * 24 * 3600);
        session.put("restricted", false);
        store.put(AdminStore.SESSIONS, session);
    }

    static ObjectNode record(String id, String now) {
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("created", now);
        r.put("updated", now);
        return r;
    }

    private static void accountRole(AdminStore store, String id, String name, String now) {
        ObjectNode r = record(id, now);
        r.put("name", name);
        r.putNull("account_id");
        store.put(AdminStore.ACCOUNT_ROLES, r);
    }

    private static void role(AdminStore store, String id, String name, String description, List<String> scopes, String now) {
        ObjectNode r = record(id, now);
        r.putNull("account_id");
        r.put("name", name);
        r.put("description", description);
        ArrayNode s = r.putArray("scopes");
        scopes.forEach(s::add);
        r.putNull("inherited_role_id");
        store.put(AdminStore.ROLES, r);
    }

    private static void workspace(AdminStore store, String id, String name, String handle, String description, String now) {
        ObjectNode r = record(id, now);
        r.put("account_id", PrefectSandbox.DEMO_ACCOUNT_ID);
        r.put("name", name);
        r.put("handle", handle);
        r.put("description", description);
        r.put("default_workspace_role_id", ROLE_VIEWER_ID);
        store.put(AdminStore.WORKSPACES, r);
    }

    private static ObjectNode user(AdminStore store, String id, String actorId, String handle, String first, String last,
                                   String email, String now) {
        ObjectNode r = record(id, now);
        r.put("actor_id", actorId);
        r.put("handle", handle);
        r.put("idp_user_id", "sandbox|" + handle);
        r.put("first_name", first);
        r.put("last_name", last);
        r.put("email", email);
        store.put(AdminStore.USERS, r);
        return r;
    }

    private static void membership(AdminStore store, String id, ObjectNode actor, String roleId, String now) {
        ObjectNode r = record(id, now);
        r.put("account_id", PrefectSandbox.DEMO_ACCOUNT_ID);
        r.put("actor_id", actor.get("actor_id").asText());
        r.put("account_role_id", roleId);
        r.put("active", true);
        store.put(AdminStore.MEMBERSHIPS, r);
    }

    private static ObjectNode bot(AdminStore store, String id, String actorId, String name, String now) {
        ObjectNode r = record(id, now);
        r.put("actor_id", actorId);
        r.put("account_id", PrefectSandbox.DEMO_ACCOUNT_ID);
        r.put("name", name);
        r.put("account_role_id", ACCOUNT_ROLE_MEMBER_ID);
        store.put(AdminStore.BOTS, r);
        r.put("api_key_id", store.issueKey("pnb_", actorId, name, null).record().get("id").asText());
        return r;
    }

    private static ObjectNode team(AdminStore store, String id, String name, String description, String now, ObjectNode... members) {
        ObjectNode r = record(id, now);
        r.put("account_id", PrefectSandbox.DEMO_ACCOUNT_ID);
        r.put("name", name);
        r.put("description", description);
        ArrayNode m = r.putArray("member_actor_ids");
        for (ObjectNode member : members) {
            m.add(member.get("actor_id").asText());
        }
        store.put(AdminStore.TEAMS, r);
        return r;
    }

    static ObjectNode access(AdminStore store, String kind, String field, ObjectNode who, String workspaceId, String roleId,
                             String id, String now) {
        ObjectNode r = record(id, now);
        r.put("account_id", PrefectSandbox.DEMO_ACCOUNT_ID);
        r.put("workspace_id", workspaceId);
        r.put(field, who.get("id").asText());
        r.put("workspace_role_id", roleId);
        store.put(kind, r);
        return r;
    }

    private static void invitation(AdminStore store, String id, String email, String status, String now) {
        ObjectNode r = record(id, now);
        r.put("account_id", PrefectSandbox.DEMO_ACCOUNT_ID);
        r.put("email", email);
        r.put("account_role_id", ACCOUNT_ROLE_MEMBER_ID);
        r.put("status", status);
        r.put("expiration", Timestamps.format(Timestamps.micros(store.clock().instant().plusSeconds(7 * 24 * 3600))));
        store.put(AdminStore.INVITATIONS, r);
    }
}
