package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static io.prefectcamel.sandbox.AdminStore.ACCOUNT_ROLES;
import static io.prefectcamel.sandbox.AdminStore.API_KEYS;
import static io.prefectcamel.sandbox.AdminStore.BOTS;
import static io.prefectcamel.sandbox.AdminStore.BOT_ACCESS;
import static io.prefectcamel.sandbox.AdminStore.MEMBERSHIPS;
import static io.prefectcamel.sandbox.AdminStore.ROLES;
import static io.prefectcamel.sandbox.AdminStore.TEAMS;
import static io.prefectcamel.sandbox.AdminStore.TEAM_ACCESS;
import static io.prefectcamel.sandbox.AdminStore.USERS;
import static io.prefectcamel.sandbox.AdminStore.USER_ACCESS;
import static io.prefectcamel.sandbox.AdminStore.WORKSPACES;
import static io.prefectcamel.sandbox.AdminStore.text;

/**
 * How the administration records look to a caller: the fields Prefect derives from other records (a bot's role
 * name and key, a team's members and workspaces, a membership's user), and the small record helpers the
 * generic handler shares (merging a body in, Prefect's simple filter criteria).
 */
final class AdminViews {

    private final AdminStore store;

    AdminViews(AdminStore store) {
        this.store = store;
    }

    /** A record as Prefect shows it: a copy with the fields Prefect takes from other records. */
    ObjectNode view(String kind, ObjectNode r) {
        ObjectNode v = r.deepCopy();
        switch (kind) {
            case BOTS -> {
                v.put("account_role_name", roleName(text(r, "account_role_id")));
                ObjectNode key = store.get(API_KEYS, text(r, "api_key_id"));
                if (key == null) {
                    key = Json.object().put("name", text(r, "name"));
                }
                v.set("api_key", key);
            }
            case TEAMS -> {
                ArrayNode members = v.putArray("memberships");
                for (JsonNode actorId : r.path("member_actor_ids")) {
                    ObjectNode member = member(actorId.asText());
                    if (member != null) {
                        members.add(member);
                    }
                }
                ArrayNode workspaces = v.putArray("workspaces");
                for (ObjectNode a : store.list(TEAM_ACCESS, a -> text(r, "id").equals(text(a, "team_id")))) {
                    ObjectNode ws = store.get(WORKSPACES, text(a, "workspace_id"));
                    ObjectNode role = store.get(ROLES, text(a, "workspace_role_id"));
                    workspaces.addObject().put("workspace_id", text(a, "workspace_id"))
                            .put("workspace_handle", ws == null ? null : text(ws, "handle"))
                            .put("workspace_role_id", text(a, "workspace_role_id"))
                            .put("workspace_role_name", role == null ? null : text(role, "name"));
                }
            }
            case MEMBERSHIPS -> {
                String actorId = text(r, "actor_id");
                ObjectNode user = store.first(USERS, "actor_id", actorId);
                ObjectNode bot = user == null ? store.first(BOTS, "actor_id", actorId) : null;
                if (user != null) {
                    v.put("user_id", text(user, "id"));
                    for (String f : List.of("first_name", "last_name", "handle", "email")) {
                        v.put(f, text(user, f));
                    }
                    v.set("last_login", user.get("last_login"));
                } else {
                    for (String f : List.of("user_id", "first_name", "last_name", "email")) {
                        v.putNull(f);
                    }
                    v.put("handle", bot == null ? null : text(bot, "name"));
                }
                v.put("account_role_name", roleName(text(r, "account_role_id")));
                ArrayNode teams = v.putArray("teams");
                for (ObjectNode t : store.list(TEAMS, t -> containsText(t.get("member_actor_ids"), actorId))) {
                    teams.addObject().put("id", text(t, "id")).put("name", text(t, "name"));
                }
            }
            case USER_ACCESS -> {
                ObjectNode user = store.get(USERS, text(r, "user_id"));
                if (user != null) {
                    for (String f : List.of("actor_id", "first_name", "last_name", "email", "handle")) {
                        v.put(f, text(user, f));
                    }
                }
            }
            case BOT_ACCESS -> {
                ObjectNode bot = store.get(BOTS, text(r, "bot_id"));
                if (bot != null) {
                    v.put("actor_id", text(bot, "actor_id"));
                    v.put("bot_name", text(bot, "name"));
                }
            }
            case TEAM_ACCESS -> {
                ObjectNode team = store.get(TEAMS, text(r, "team_id"));
                v.put("team_name", team == null ? null : text(team, "name"));
            }
            case ROLES -> v.set("permissions", r.path("scopes").deepCopy());
            default -> {
            }
        }
        return v;
    }

    private ObjectNode member(String actorId) {
        ObjectNode user = store.first(USERS, "actor_id", actorId);
        if (user != null) {
            return Json.object().put("id", actorId).put("handle", text(user, "handle"))
                    .put("name", text(user, "first_name") + " " + text(user, "last_name")).put("email", text(user, "email"))
                    .put("type", "user");
        }
        ObjectNode bot = store.first(BOTS, "actor_id", actorId);
        return bot == null ? null : Json.object().put("id", actorId).put("handle", text(bot, "name"))
                .put("name", text(bot, "name")).putNull("email").put("type", "service_account");
    }

    String roleName(String accountRoleId) {
        ObjectNode role = store.get(ACCOUNT_ROLES, accountRoleId);
        return role == null ? null : text(role, "name");
    }

    /** Copies the body's fields into the record (a nested object is merged); {@code skipNulls}: PATCH semantics. */
    static void merge(ObjectNode record, JsonNode body, boolean skipNulls) {
        if (body == null || !body.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = f.getValue();
            if (value.isNull() && skipNulls) {
                continue;
            }
            if (value.isTextual() && Uuids.isUuid(value.asText()) && f.getKey().endsWith("_id")) {
                value = Json.NODES.textNode(Uuids.canonical(value.asText()));
            }
            if (value.isObject() && record.get(f.getKey()) instanceof ObjectNode nested) {
                merge(nested, value, skipNulls);
            } else {
                record.set(f.getKey(), value.deepCopy());
            }
        }
    }

    /** Prefect's simple filter criteria: {@code {field: {any_: [...]}}}, {@code like_}, {@code is_global}. */
    static boolean matches(JsonNode criteria, ObjectNode view) {
        for (Iterator<Map.Entry<String, JsonNode>> it = criteria.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode crit = c.getValue();
            if (c.getKey().equals("is_global") && crit.isBoolean()) {
                if (view.path("account_id").isNull() != crit.asBoolean()) {
                    return false;
                }
                continue;
            }
            if (!crit.isObject() || !view.has(c.getKey())) {
                continue;
            }
            String actual = Objects.toString(text(view, c.getKey()), "");
            JsonNode any = crit.get("any_");
            if (any != null && any.isArray()) {
                boolean found = false;
                for (JsonNode a : any) {
                    String wanted = Uuids.isUuid(a.asText()) ? Uuids.canonical(a.asText()) : a.asText();
                    found |= wanted.equals(actual);
                }
                if (!found) {
                    return false;
                }
            }
            JsonNode like = crit.get("like_");
            if (like != null && like.isTextual()
                    && !actual.toLowerCase(Locale.ROOT).contains(like.asText().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    static boolean containsText(JsonNode array, String value) {
        if (array != null) {
            for (JsonNode v : array) {
                if (v.asText().equals(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean removeText(ArrayNode array, String value) {
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).asText().equals(value)) {
                    array.remove(i);
                    return true;
                }
            }
        }
        return false;
    }
}
