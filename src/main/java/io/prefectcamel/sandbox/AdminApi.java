package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

import static io.prefectcamel.sandbox.AdminStore.ACCOUNTS;
import static io.prefectcamel.sandbox.AdminStore.ACCOUNT_ROLES;
import static io.prefectcamel.sandbox.AdminStore.API_KEYS;
import static io.prefectcamel.sandbox.AdminStore.BOTS;
import static io.prefectcamel.sandbox.AdminStore.BOT_ACCESS;
import static io.prefectcamel.sandbox.AdminStore.INVITATIONS;
import static io.prefectcamel.sandbox.AdminStore.MEMBERSHIPS;
import static io.prefectcamel.sandbox.AdminStore.ROLES;
import static io.prefectcamel.sandbox.AdminStore.SESSIONS;
import static io.prefectcamel.sandbox.AdminStore.TEAMS;
import static io.prefectcamel.sandbox.AdminStore.TEAM_ACCESS;
import static io.prefectcamel.sandbox.AdminStore.USERS;
import static io.prefectcamel.sandbox.AdminStore.USER_ACCESS;
import static io.prefectcamel.sandbox.AdminStore.WORKSPACES;
import static io.prefectcamel.sandbox.AdminStore.text;

/**
 * Answers Prefect Cloud's administration operations. Most are create / read / update / delete / filter over one
 * resource kind and run through one generic path driven by {@link AdminSpec} (the kind, the verb, the request
 * schema to validate, the status and response schema to answer); {@link AdminViews} adds the fields Prefect
 * derives from other records (a bot's role name, a team's members). What has its own behaviour is written out below:
 * API keys, invitations, access upserts, team members, {@code me/*}, scopes, actor access and rate limits.
 */
final class AdminApi {

    /** An answer: status and JSON body (null for none). */
    record Answer(int status, JsonNode body) {
    }

    /** Fields that must be unique among a kind's records of one account (409 otherwise). */
    private static final Map<String, String> UNIQUE = Map.of(WORKSPACES, "handle", TEAMS, "name", ROLES, "name",
            USERS, "handle", ACCOUNTS, "handle");
    /** The body field holding a filter's criteria, per kind. */
    private static final Map<String, String> FILTER_FIELD = Map.of(WORKSPACES, "workspaces", TEAMS, "teams",
            BOTS, "service_accounts", ROLES, "workspace_roles", INVITATIONS, "invitations", MEMBERSHIPS, "account_memberships",
            USER_ACCESS, "workspace_accesses");
    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry(ACCOUNTS, "Account"),
            Map.entry(WORKSPACES, "Workspace"), Map.entry(TEAMS, "Team"), Map.entry(ROLES, "Workspace role"),
            Map.entry(BOTS, "Bot"), Map.entry(INVITATIONS, "Invitation"), Map.entry(MEMBERSHIPS, "Account membership"),
            Map.entry(USER_ACCESS, "Workspace user access"), Map.entry(BOT_ACCESS, "Workspace bot access"),
            Map.entry(TEAM_ACCESS, "Workspace team access"), Map.entry(USERS, "User"), Map.entry(ACCOUNT_ROLES, "Account role"));
    private static final long INVITATION_SECONDS = 7L * 24 * 3600;

    private final AdminSpec spec;
    private final SchemaCheck schemas;
    private final AdminStore store;
    private final AdminViews views;
    private final DoubleSupplier faultRate429;

    AdminApi(AdminSpec spec, AdminStore store, DoubleSupplier faultRate429) {
        this.spec = spec;
        this.schemas = new SchemaCheck(spec);
        this.store = store;
        this.views = new AdminViews(store);
        this.faultRate429 = faultRate429;
    }

    /** See {@link AdminSpec#match}. */
    AdminSpec.Match match(String method, String path) {
        return spec.match(method, path);
    }

    /**
     * Runs one operation for the caller ({@code callerActorId}; null: the sandbox's own key, the demo user) and
     * answers as Prefect would: 422 for bad input (path ids, body), 404 for unknown records, 409 for duplicates.
     */
    Answer handle(AdminSpec.Match match, String callerActorId, Map<String, String> query, JsonNode body) {
        AdminSpec.Op op = match.op();
        Problems problems = new Problems();
        Map<String, String> params = new LinkedHashMap<>();
        match.params().forEach((name, raw) -> {
            String id = Uuids.canonical(raw);
            if (id == null) {
                problems.uuidError(Problems.loc("path", name), Json.NODES.textNode(raw));
            }
            params.put(name, id);
        });
        if (op.body() != null) {
            if (body == null) {
                if (op.bodyRequired()) {
                    problems.missing(Problems.loc("body"), null);
                }
            } else {
                schemas.check(op.body(), body, Problems.loc("body"), problems);
            }
        }
        problems.throwIfAny();
        synchronized (store) {
            Call call = new Call(op, params, query, body, caller(callerActorId));
            call.parents();
            return call.run();
        }
    }

    /** The caller's actor record (a user or a bot); empty when it was deleted. */
    private ObjectNode caller(String actorId) {
        ObjectNode actor = actorId == null ? store.get(USERS, AdminSeed.DEMO_USER_ID) : store.first(USERS, "actor_id", actorId);
        if (actor == null && actorId != null) {
            actor = store.first(BOTS, "actor_id", actorId);
        }
        return actor == null ? Json.object() : actor;
    }

    /** One request in progress. */
    private final class Call {
        final AdminSpec.Op op;
        final Map<String, String> params;
        final Map<String, String> query;
        final JsonNode body;
        final ObjectNode caller;

        Call(AdminSpec.Op op, Map<String, String> params, Map<String, String> query, JsonNode body, ObjectNode caller) {
            this.op = op;
            this.params = params;
            this.query = query;
            this.body = body;
            this.caller = caller;
        }

        String account() {
            return params.get("account_id");
        }

        String workspace() {
            return params.get("workspace_id");
        }

        String id() {
            return params.get(op.idParam());
        }

        /** The account and workspace in the path must exist (the record itself is checked by each verb). */
        void parents() {
            if (account() != null && !op.names("account_id") && !op.kind().equals("settings")) {
                need(ACCOUNTS, account());
            }
            if (workspace() != null && !op.names("workspace_id") && !op.id().equals("readMyWorkspaceScopes")) {
                workspaceRecord();
            }
        }

        ObjectNode workspaceRecord() {
            ObjectNode ws = store.get(WORKSPACES, workspace());
            if (ws == null || !Objects.equals(text(ws, "account_id"), account())) {
                throw notFound(WORKSPACES);
            }
            return ws;
        }

        Answer run() {
            return switch (op.id()) {
                case "readMyProfile" -> {
                    if (!caller.has("id")) {
                        throw notFound(USERS);
                    }
                    yield ok(views.view(USERS, caller));
                }
                case "readMyAccounts" -> ok(myAccounts());
                case "readMyWorkspaces" -> ok(myWorkspaces());
                case "readMyApiKeys" -> ok(keys(caller));
                case "readMySessions" -> ok(array(store.list(SESSIONS, s -> Objects.equals(text(s, "user_id"), text(caller, "id")))));
                case "readMyWorkspaceScopes" -> {
                    ObjectNode ws = store.get(WORKSPACES, workspace());
                    if (ws == null) {
                        throw notFound(WORKSPACES);
                    }
                    yield ok(strings(scopesOf(text(caller, "actor_id"), workspace())));
                }
                case "readAccountSettings" -> new Answer(200, schemas.render(spec.schema("AccountSettings-Output"),
                        need(ACCOUNTS, account()).path("settings")));
                case "updateAccountSettings" -> {
                    AdminViews.merge((ObjectNode) need(ACCOUNTS, account()).get("settings"), body, true);
                    yield ok(null);
                }
                case "deleteAccount" -> deleteAccount();
                case "createBot" -> createBot();
                case "rotateApiKey" -> rotateKey();
                case "createInvitation" -> createInvitations();
                case "revokeInvitation" -> {
                    find(INVITATIONS).put("status", "REVOKED");
                    yield ok(null);
                }
                case "upsertWorkspaceUserAccess" -> upsertAccess(USER_ACCESS, "user_id", USERS);
                case "upsertWorkspaceBotAccess" -> upsertAccess(BOT_ACCESS, "bot_id", BOTS);
                case "upsertWorkspaceTeamAccess" -> upsertAccess(TEAM_ACCESS, "team_id", TEAMS);
                case "removeWorkspaceTeamAccess" -> {
                    if (store.removeWhere(TEAM_ACCESS, r -> workspace().equals(text(r, "workspace_id"))
                            && id().equals(text(r, "team_id"))).isEmpty()) {
                        throw notFound(TEAM_ACCESS);
                    }
                    yield ok(null);
                }
                case "readActorAccess" -> ok(actorAccess());
                case "readRateLimitStatus" -> {
                    ObjectNode status = Json.object();
                    ArrayNode buckets = status.putArray("exceeded_buckets");
                    if (faultRate429.getAsDouble() > 0) {
                        buckets.add("orchestration-api").add("logs-and-events");
                    }
                    yield ok(status);
                }
                case "readUserApiKeys" -> ok(keys(need(USERS, id())));
                case "createUserApiKey" -> createUserKey();
                case "getWorkspaceScopes" -> ok(workspaceScopes());
                case "upsertTeamMembers" -> upsertTeamMembers();
                case "removeTeamMember" -> {
                    ObjectNode team = need(TEAMS, params.get("team_id"));
                    if (!Objects.equals(text(team, "account_id"), account()) || !AdminViews.removeText((ArrayNode) team.get("member_actor_ids"),
                            params.get("actor_id"))) {
                        throw ApiException.detail(404, "Team member not found.");
                    }
                    yield ok(null);
                }
                default -> generic();
            };
        }

        // ------------------------------------------------------------ the generic verbs

        Answer generic() {
            String kind = op.kind();
            return switch (op.verb()) {
                case CREATE -> {
                    ObjectNode r = AdminSeed.record(AdminStore.newId(), store.now());
                    AdminViews.merge(r, body, false);
                    stamp(r);
                    unique(kind, r);
                    checkReferences(r);
                    store.put(kind, r);
                    created(kind, r);
                    yield ok(views.view(kind, r));
                }
                case READ -> ok(views.view(kind, find(kind)));
                case UPDATE -> {
                    ObjectNode r = find(kind);
                    builtIn(kind, r);
                    ObjectNode changed = r.deepCopy();
                    AdminViews.merge(changed, body, op.method().equals("PATCH"));
                    unique(kind, changed);
                    checkReferences(changed);
                    r.setAll(changed);
                    r.put("updated", store.now());
                    yield ok(views.view(kind, r));
                }
                case DELETE -> {
                    ObjectNode r = find(kind);
                    builtIn(kind, r);
                    store.remove(kind, text(r, "id"));
                    deleted(kind, r);
                    yield ok(null);
                }
                case FILTER -> filter(kind);
                default -> throw ApiException.detail(404, "Not Found");
            };
        }

        /** The record the path names, within the path's account and workspace; 404 otherwise. */
        ObjectNode find(String kind) {
            ObjectNode r = store.get(kind, id());
            if (r == null || !inScope(r)) {
                throw notFound(kind);
            }
            return r;
        }

        boolean inScope(ObjectNode r) {
            if (account() != null && !op.names("account_id") && r.has("account_id")) {
                String a = text(r, "account_id");
                if (a != null && !a.equals(account())) {
                    return false;
                }
                if (a == null && !op.kind().equals(ROLES)) {
                    return false;
                }
            }
            return workspace() == null || op.names("workspace_id") || workspace().equals(text(r, "workspace_id"));
        }

        /** The path's account and workspace ids become the new record's fields. */
        void stamp(ObjectNode r) {
            if (account() != null) {
                r.put("account_id", account());
            }
            if (workspace() != null) {
                r.put("workspace_id", workspace());
            }
        }

        void unique(String kind, ObjectNode r) {
            String field = UNIQUE.get(kind);
            String value = field == null ? null : text(r, field);
            if (value == null) {
                return;
            }
            for (ObjectNode other : store.list(kind, o -> value.equalsIgnoreCase(Objects.toString(text(o, field), ""))
                    && !text(o, "id").equals(text(r, "id")))) {
                String otherAccount = text(other, "account_id");
                if (otherAccount == null || otherAccount.equals(text(r, "account_id"))) {
                    throw ApiException.detail(409, NAMES.get(kind) + " with " + field + " '" + value + "' already exists.");
                }
            }
        }

        /** Prefect's built-in workspace roles belong to no account and cannot be changed. */
        void builtIn(String kind, ObjectNode r) {
            if (kind.equals(ROLES) && text(r, "account_id") == null) {
                throw ApiException.detail(403, "Built-in workspace roles cannot be changed.");
            }
        }

        /** Role ids an update names must exist. */
        void checkReferences(ObjectNode r) {
            if (r.hasNonNull("account_role_id")) {
                need(ACCOUNT_ROLES, text(r, "account_role_id"));
            }
            if (r.hasNonNull("inherited_role_id")) {
                need(ROLES, text(r, "inherited_role_id"));
            }
            if (r.hasNonNull("default_workspace_role_id")) {
                need(ROLES, text(r, "default_workspace_role_id"));
            }
        }

        /** What follows a generic create. */
        void created(String kind, ObjectNode r) {
            if (kind.equals(WORKSPACES) && caller.has("id")) {
                // the creator can use the workspace it made: Owner access
                boolean bot = store.get(BOTS, text(caller, "id")) != null;
                grant(bot ? BOT_ACCESS : USER_ACCESS, bot ? "bot_id" : "user_id", text(caller, "id"), text(r, "id"), AdminSeed.ROLE_OWNER_ID);
            } else if (kind.equals(TEAMS)) {
                r.putArray("member_actor_ids");
            }
        }

        /** What follows a delete: what hangs on the record goes too. */
        void deleted(String kind, ObjectNode r) {
            String id = text(r, "id");
            switch (kind) {
                case WORKSPACES -> {
                    for (String access : List.of(USER_ACCESS, BOT_ACCESS, TEAM_ACCESS)) {
                        store.removeWhere(access, a -> id.equals(text(a, "workspace_id")));
                    }
                    store.markDeletedWorkspace(id);
                }
                case TEAMS -> store.removeWhere(TEAM_ACCESS, a -> id.equals(text(a, "team_id")));
                case BOTS, USERS -> removeActor(r, kind.equals(BOTS) ? BOT_ACCESS : USER_ACCESS, kind.equals(BOTS) ? "bot_id" : "user_id");
                case ROLES -> {
                    for (String access : List.of(USER_ACCESS, BOT_ACCESS, TEAM_ACCESS)) {
                        store.removeWhere(access, a -> id.equals(text(a, "workspace_role_id")));
                    }
                }
                default -> {
                }
            }
        }

        void removeActor(ObjectNode actor, String accessKind, String field) {
            String id = text(actor, "id");
            String actorId = text(actor, "actor_id");
            store.removeWhere(accessKind, a -> id.equals(text(a, field)));
            store.removeWhere(MEMBERSHIPS, m -> actorId.equals(text(m, "actor_id")));
            store.removeWhere(SESSIONS, s -> id.equals(text(s, "user_id")));
            for (ObjectNode team : store.list(TEAMS, t -> true)) {
                AdminViews.removeText((ArrayNode) team.get("member_actor_ids"), actorId);
            }
            for (ObjectNode key : store.keysOf(actorId)) {
                store.revokeKey(text(key, "id"));
            }
        }

        Answer deleteAccount() {
            need(ACCOUNTS, account());
            String a = account();
            for (ObjectNode ws : store.list(WORKSPACES, w -> a.equals(text(w, "account_id")))) {
                store.remove(WORKSPACES, text(ws, "id"));
                deleted(WORKSPACES, ws);
            }
            for (ObjectNode bot : store.list(BOTS, b -> a.equals(text(b, "account_id")))) {
                store.remove(BOTS, text(bot, "id"));
                deleted(BOTS, bot);
            }
            for (String kind : List.of(TEAMS, ROLES, INVITATIONS, MEMBERSHIPS)) {
                store.removeWhere(kind, r -> a.equals(text(r, "account_id")));
            }
            store.remove(ACCOUNTS, a);
            store.markDeletedAccount(a);
            return ok(null);
        }

        Answer filter(String kind) {
            JsonNode b = body == null || body.isNull() ? Json.object() : body;
            List<ObjectNode> shown = new ArrayList<>();
            for (ObjectNode r : store.list(kind, this::inScope)) {
                shown.add(views.view(kind, r));
            }
            JsonNode criteria = FILTER_FIELD.containsKey(kind) ? b.get(FILTER_FIELD.get(kind)) : null;
            if (criteria != null && criteria.isObject()) {
                shown.removeIf(v -> !AdminViews.matches(criteria, v));
            }
            if (kind.equals(MEMBERSHIPS)) {
                boolean onlyUsers = b.path("only_users").asBoolean(false);
                boolean onlyBots = b.path("only_bots").asBoolean(false);
                shown.removeIf(v -> (onlyUsers && v.path("user_id").isNull()) || (onlyBots && !v.path("user_id").isNull())
                        || (b.hasNonNull("active") && v.path("active").asBoolean() != b.get("active").asBoolean()));
            }
            String sort = b.path("sort").asText("");
            if (sort.startsWith("NAME_")) {
                shown.sort(Comparator.comparing(v -> v.path("name").asText(v.path("handle").asText("")).toLowerCase(Locale.ROOT)));
            } else {
                shown.sort(Comparator.comparing(v -> v.path("created").asText("")));
            }
            if (sort.endsWith("_DESC")) {
                java.util.Collections.reverse(shown);
            }
            int offset = b.path("offset").asInt(0);
            int limit = b.path("limit").asInt(200);
            ArrayNode page = Json.array();
            shown.subList(Math.min(offset, shown.size()), (int) Math.min(shown.size(), (long) offset + limit)).forEach(page::add);
            return ok(page);
        }

        // ------------------------------------------------------------ bots and keys

        Answer createBot() {
            String roleId = body.hasNonNull("account_role_id") ? body.get("account_role_id").asText() : AdminSeed.ACCOUNT_ROLE_MEMBER_ID;
            need(ACCOUNT_ROLES, roleId);
            ObjectNode bot = AdminSeed.record(AdminStore.newId(), store.now());
            bot.put("actor_id", AdminStore.newId());
            bot.put("account_id", account());
            bot.put("name", body.get("name").asText());
            bot.put("account_role_id", roleId);
            store.put(BOTS, bot);
            ObjectNode membership = AdminSeed.record(AdminStore.newId(), store.now());
            membership.put("account_id", account());
            membership.put("actor_id", text(bot, "actor_id"));
            membership.put("account_role_id", roleId);
            membership.put("active", true);
            store.put(MEMBERSHIPS, membership);
            return withNewKey(bot, body.get("api_key_expiration"));
        }

        Answer rotateKey() {
            ObjectNode bot = find(BOTS);
            String old = text(bot, "api_key_id");
            JsonNode grace = body == null ? null : body.get("old_key_expires_in_seconds");
            if (old != null) {
                if (grace == null || grace.isNull()) {
                    store.revokeKey(old);
                } else {
                    store.expireKeyIn(old, grace.asLong());
                }
            }
            return withNewKey(bot, body == null ? null : body.get("api_key_expiration"));
        }

        /** Issues the bot a key; the answer is the only place it is ever shown. */
        Answer withNewKey(ObjectNode bot, JsonNode expiration) {
            AdminStore.Issued issued = store.issueKey("pnb_", text(bot, "actor_id"), text(bot, "name"), expiration);
            bot.put("api_key_id", text(issued.record(), "id"));
            ObjectNode answer = views.view(BOTS, bot);
            ObjectNode key = issued.record().deepCopy();
            key.put("key", issued.key());
            answer.set("api_key", key);
            return ok(answer);
        }

        Answer createUserKey() {
            ObjectNode user = need(USERS, id());
            AdminStore.Issued issued = store.issueKey("pnu_", text(user, "actor_id"), body.get("name").asText(), body.get("expiration"));
            ObjectNode key = issued.record().deepCopy();
            key.put("key", issued.key());
            return ok(key);
        }

        ArrayNode keys(ObjectNode actor) {
            String name = query.get("name");
            return array(store.list(API_KEYS, k -> Objects.equals(text(k, "owner_actor_id"), text(actor, "actor_id"))
                    && (name == null || name.equals(text(k, "name")))));
        }

        // ------------------------------------------------------------ invitations, access, teams

        Answer createInvitations() {
            List<ObjectNode> made = new ArrayList<>();
            for (JsonNode item : body) {
                need(ACCOUNT_ROLES, item.get("account_role_id").asText());
            }
            for (JsonNode item : body) {
                ObjectNode r = AdminSeed.record(AdminStore.newId(), store.now());
                r.put("account_id", account());
                r.put("email", item.get("email").asText());
                r.put("account_role_id", Uuids.canonical(item.get("account_role_id").asText()));
                r.put("status", "PENDING");
                r.put("expiration", Timestamps.format(Timestamps.micros(store.clock().instant().plusSeconds(INVITATION_SECONDS))));
                store.put(INVITATIONS, r);
                made.add(r);
            }
            return ok(array(made));
        }

        /** Inserts or changes the role of users', bots' or teams' access to the workspace; one or a list. */
        Answer upsertAccess(String kind, String field, String actorKind) {
            List<JsonNode> items = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(items::add);
            } else {
                items.add(body);
            }
            for (JsonNode item : items) {
                ObjectNode who = store.get(actorKind, Uuids.canonical(item.get(field).asText()));
                if (who == null || (who.has("account_id") && !account().equals(text(who, "account_id")))) {
                    throw notFound(actorKind);
                }
                need(ROLES, Uuids.canonical(item.get("workspace_role_id").asText()));
            }
            ArrayNode out = Json.array();
            for (JsonNode item : items) {
                ObjectNode r = grant(kind, field, Uuids.canonical(item.get(field).asText()), workspace(),
                        Uuids.canonical(item.get("workspace_role_id").asText()));
                out.add(views.view(kind, r));
            }
            return new Answer(op.status(), schemas.render(op.response(), body.isArray() ? out : out.get(0)));
        }

        ObjectNode grant(String kind, String field, String whoId, String workspaceId, String roleId) {
            for (ObjectNode r : store.list(kind, a -> workspaceId.equals(text(a, "workspace_id")) && whoId.equals(text(a, field)))) {
                r.put("workspace_role_id", roleId);
                r.put("updated", store.now());
                return r;
            }
            ObjectNode ws = store.get(WORKSPACES, workspaceId);
            ObjectNode r = AdminSeed.record(AdminStore.newId(), store.now());
            r.put("account_id", text(ws, "account_id"));
            r.put("workspace_id", workspaceId);
            r.put(field, whoId);
            r.put("workspace_role_id", roleId);
            store.put(kind, r);
            return r;
        }

        Answer upsertTeamMembers() {
            ObjectNode team = find(TEAMS);
            List<String> actors = new ArrayList<>();
            for (JsonNode m : body.get("members")) {
                String kind = m.get("member_type").asText().equals("user") ? USERS : BOTS;
                ObjectNode who = store.get(kind, Uuids.canonical(m.get("member_id").asText()));
                if (who == null) {
                    throw notFound(kind);
                }
                actors.add(text(who, "actor_id"));
            }
            ArrayNode members = (ArrayNode) team.get("member_actor_ids");
            for (String actor : actors) {
                AdminViews.removeText(members, actor);
                members.add(actor);
            }
            team.put("updated", store.now());
            return new Answer(200, schemas.render(spec.schema("TeamResponse"), views.view(TEAMS, team)));
        }

        // ------------------------------------------------------------ me, scopes, actors

        ArrayNode myAccounts() {
            ArrayNode out = Json.array();
            for (ObjectNode m : store.list(MEMBERSHIPS, m -> Objects.equals(text(m, "actor_id"), text(caller, "actor_id")))) {
                ObjectNode account = store.get(ACCOUNTS, text(m, "account_id"));
                if (account == null) {
                    continue;
                }
                ObjectNode a = out.addObject();
                a.put("account_membership_id", text(m, "id"));
                a.put("account_id", text(account, "id"));
                a.put("account_name", text(account, "name"));
                a.put("account_role_name", views.roleName(text(m, "account_role_id")));
                a.put("account_handle", text(account, "handle"));
                a.put("account_plan_type", text(account, "plan_type"));
                a.put("account_plan_tier", text(account, "plan_tier"));
                a.set("account_plan_features", account.path("features").deepCopy());
            }
            return out;
        }

        ArrayNode myWorkspaces() {
            ArrayNode out = Json.array();
            String actor = text(caller, "actor_id");
            for (ObjectNode ws : store.list(WORKSPACES, w -> !roleIds(actor, text(w, "id")).isEmpty())) {
                ObjectNode account = store.get(ACCOUNTS, text(ws, "account_id"));
                ObjectNode w = out.addObject();
                w.put("account_id", text(ws, "account_id"));
                w.put("account_name", account == null ? null : text(account, "name"));
                w.put("account_handle", account == null ? null : text(account, "handle"));
                w.put("workspace_id", text(ws, "id"));
                w.put("workspace_name", text(ws, "name"));
                w.put("workspace_description", Objects.toString(text(ws, "description"), ""));
                w.put("workspace_handle", text(ws, "handle"));
            }
            return out;
        }

        /** The workspace roles an actor holds in a workspace: its own access and its teams'. */
        Set<String> roleIds(String actorId, String workspaceId) {
            Set<String> roles = new LinkedHashSet<>();
            if (actorId == null) {
                return roles;
            }
            ObjectNode user = store.first(USERS, "actor_id", actorId);
            ObjectNode bot = store.first(BOTS, "actor_id", actorId);
            for (ObjectNode a : store.list(USER_ACCESS, a -> workspaceId.equals(text(a, "workspace_id"))
                    && user != null && text(user, "id").equals(text(a, "user_id")))) {
                roles.add(text(a, "workspace_role_id"));
            }
            for (ObjectNode a : store.list(BOT_ACCESS, a -> workspaceId.equals(text(a, "workspace_id"))
                    && bot != null && text(bot, "id").equals(text(a, "bot_id")))) {
                roles.add(text(a, "workspace_role_id"));
            }
            for (ObjectNode a : store.list(TEAM_ACCESS, a -> workspaceId.equals(text(a, "workspace_id")))) {
                ObjectNode team = store.get(TEAMS, text(a, "team_id"));
                if (team != null && AdminViews.containsText(team.get("member_actor_ids"), actorId)) {
                    roles.add(text(a, "workspace_role_id"));
                }
            }
            return roles;
        }

        /** The scopes of those roles, with the scopes of the roles they inherit from. */
        Set<String> scopesOf(String actorId, String workspaceId) {
            Set<String> scopes = new java.util.TreeSet<>();
            for (String roleId : roleIds(actorId, workspaceId)) {
                ObjectNode role = store.get(ROLES, roleId);
                for (int depth = 0; role != null && depth < 5; depth++) {
                    role.path("scopes").forEach(s -> scopes.add(s.asText()));
                    role = store.get(ROLES, text(role, "inherited_role_id"));
                }
            }
            return scopes;
        }

        ArrayNode actorAccess() {
            ArrayNode out = Json.array();
            String ws = workspace();
            for (ObjectNode a : store.list(USER_ACCESS, a -> ws.equals(text(a, "workspace_id")))) {
                ObjectNode user = store.get(USERS, text(a, "user_id"));
                if (user != null) {
                    actor(out, text(user, "actor_id"), text(user, "first_name") + " " + text(user, "last_name"), text(user, "email"), "user");
                }
            }
            for (ObjectNode a : store.list(BOT_ACCESS, a -> ws.equals(text(a, "workspace_id")))) {
                ObjectNode bot = store.get(BOTS, text(a, "bot_id"));
                if (bot != null) {
                    actor(out, text(bot, "actor_id"), text(bot, "name"), null, "service_account");
                }
            }
            for (ObjectNode a : store.list(TEAM_ACCESS, a -> ws.equals(text(a, "workspace_id")))) {
                ObjectNode team = store.get(TEAMS, text(a, "team_id"));
                if (team != null) {
                    actor(out, text(team, "id"), text(team, "name"), null, "team");
                }
            }
            return out;
        }

        void actor(ArrayNode out, String id, String name, String email, String type) {
            ObjectNode o = out.addObject();
            o.put("id", id);
            o.put("name", name);
            o.put("email", email);
            o.put("type", type);
        }

        ArrayNode workspaceScopes() {
            ArrayNode out = Json.array();
            Set<String> names = new LinkedHashSet<>(spec.scopeNames());
            for (String name : spec.scopeNames()) {
                int cut = name.indexOf('_');
                String verb = name.substring(0, cut);
                String object = name.substring(cut + 1);
                ObjectNode s = out.addObject();
                s.put("name", name);
                s.put("title", Character.toUpperCase(verb.charAt(0)) + verb.substring(1) + " " + object.replace('_', ' '));
                s.put("feature_group", object);
                ArrayNode includes = s.putArray("includes_scopes");
                if (verb.equals("manage") && names.contains("write_" + object)) {
                    includes.add("write_" + object);
                }
                if (!verb.equals("see") && names.contains("see_" + object)) {
                    includes.add("see_" + object);
                }
                s.put("see_scope", names.contains("see_" + object) ? "see_" + object : null);
            }
            return out;
        }

        // ------------------------------------------------------------ plumbing

        Answer ok(JsonNode value) {
            if (op.status() == 204 || value == null) {
                return new Answer(op.status(), null);
            }
            return new Answer(op.status(), op.response() == null ? value : schemas.render(op.response(), value));
        }

        ObjectNode need(String kind, String id) {
            ObjectNode r = store.get(kind, id);
            if (r == null) {
                throw notFound(kind);
            }
            return r;
        }

        ArrayNode array(List<ObjectNode> records) {
            ArrayNode out = Json.array();
            String kind = op.kind();
            for (ObjectNode r : records) {
                out.add(views.view(kind, r));
            }
            return out;
        }

        ArrayNode strings(Iterable<String> values) {
            ArrayNode out = Json.array();
            values.forEach(out::add);
            return out;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ApiException notFound(String kind) {
        return ApiException.detail(404, NAMES.getOrDefault(kind, "Object") + " not found.");
    }

    /** Seeds the store (see {@link AdminSeed}). */
    void seed() {
        synchronized (store) {
            AdminSeed.seed(store, spec.scopeNames());
        }
    }
}
