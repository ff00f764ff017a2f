package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The sandbox's administration data: one table per resource kind (named as Prefect's paths name them:
 * {@code workspaces}, {@code teams}, {@code bots}, ...), each record a JSON object with Prefect's field names, plus
 * the API keys the sandbox has issued (kept as SHA-256 digests, never in clear) and the accounts and workspaces
 * that were deleted. Every method locks the store; a request that reads and writes several tables holds the lock
 * for its whole duration ({@code synchronized (store)}).
 */
public final class AdminStore {

    static final String ACCOUNTS = "accounts";
    static final String ACCOUNT_ROLES = "account_roles";
    static final String MEMBERSHIPS = "account_memberships";
    static final String USERS = "users";
    static final String BOTS = "bots";
    static final String TEAMS = "teams";
    static final String WORKSPACES = "workspaces";
    static final String ROLES = "workspace_roles";
    static final String INVITATIONS = "invitations";
    static final String USER_ACCESS = "user_access";
    static final String BOT_ACCESS = "bot_access";
    static final String TEAM_ACCESS = "team_access";
    static final String API_KEYS = "api_keys";
    static final String SESSIONS = "sessions";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    /** What a bearer key is to the sandbox. */
    enum KeyState { UNKNOWN, VALID, REFUSED }

    /** The answer of {@link #checkKey}: the state and, for a valid key, the actor it belongs to. */
    record KeyCheck(KeyState state, String actorId) {
    }

    private final Clock clock;
    private final Map<String, Map<String, ObjectNode>> tables = new HashMap<>();
    private final Map<String, String> keyIdByDigest = new HashMap<>();
    private final Set<String> refusedDigests = new HashSet<>();
    private final Set<String> deletedAccounts = new HashSet<>();
    private final Set<String> deletedWorkspaces = new HashSet<>();

    AdminStore(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }

    /** Now, as Prefect writes datetimes. */
    String now() {
        return Timestamps.format(Timestamps.micros(clock.instant()));
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    // ------------------------------------------------------------------ tables

    synchronized ObjectNode get(String kind, String id) {
        return id == null ? null : table(kind).get(id);
    }

    synchronized void put(String kind, ObjectNode record) {
        table(kind).put(record.get("id").asText(), record);
    }

    synchronized ObjectNode remove(String kind, String id) {
        return table(kind).remove(id);
    }

    /** The records of a kind that match, in insertion order. */
    synchronized List<ObjectNode> list(String kind, Predicate<ObjectNode> where) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : table(kind).values()) {
            if (where.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The first record of a kind whose field has the value, or null. */
    synchronized ObjectNode first(String kind, String field, String value) {
        if (value == null) {
            return null;
        }
        for (ObjectNode r : table(kind).values()) {
            if (Objects.equals(text(r, field), value)) {
                return r;
            }
        }
        return null;
    }

    /** Removes the records of a kind that match; returns them. */
    synchronized List<ObjectNode> removeWhere(String kind, Predicate<ObjectNode> where) {
        List<ObjectNode> gone = new ArrayList<>();
        table(kind).values().removeIf(r -> where.test(r) && gone.add(r));
        return gone;
    }

    synchronized int size() {
        int n = 0;
        for (Map<String, ObjectNode> t : tables.values()) {
            n += t.size();
        }
        return n;
    }

    private Map<String, ObjectNode> table(String kind) {
        return tables.computeIfAbsent(kind, k -> new LinkedHashMap<>());
    }

    static String text(JsonNode record, String field) {
        JsonNode v = record.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    // ------------------------------------------------------------------ accounts and workspaces

    synchronized void markDeletedAccount(String accountId) {
        deletedAccounts.add(accountId);
    }

    synchronized void markDeletedWorkspace(String workspaceId) {
        deletedWorkspaces.add(workspaceId);
    }

    /**
     * Whether events may be written to and read from this account and workspace: not when either was deleted,
     * nor for a workspace this store does not hold in an account it holds. Accounts it knows nothing about stay
     * open, as before the sandbox had an administration API. Throws a 404 otherwise.
     */
    synchronized void checkEventScope(String accountId, String workspaceId) {
        if (deletedAccounts.contains(accountId)) {
            throw ApiException.detail(404, "Account not found.");
        }
        if (workspaceId != null && deletedWorkspaces.contains(workspaceId)) {
            throw ApiException.detail(404, "Workspace not found.");
        }
        if (workspaceId != null && get(ACCOUNTS, accountId) != null) {
            ObjectNode ws = get(WORKSPACES, workspaceId);
            if (ws == null || !accountId.equals(text(ws, "account_id"))) {
                throw ApiException.detail(404, "Workspace not found.");
            }
        }
    }

    // ------------------------------------------------------------------ API keys

    /** A key just issued: the key itself (shown once, kept nowhere) and its stored metadata. */
    record Issued(String key, ObjectNode record) {
    }

    /** Issues a key for an actor: stores its metadata (with a masked form) as an {@code api_keys} record, and its digest. */
    synchronized Issued issueKey(String prefix, String ownerActorId, String name, JsonNode expiration) {
        StringBuilder key = new StringBuilder(prefix);
        for (int i = 0; i < 36; i++) {
            key.append(KEY_CHARS[RANDOM.nextInt(KEY_CHARS.length)]);
        }
        String k = key.toString();
        String digest = digest(k);
        ObjectNode record = Json.object();
        record.put("id", newId());
        record.put("created", now());
        record.put("name", name);
        record.set("expiration", expiration == null ? Json.NODES.nullNode() : expiration);
        record.put("masked_key", prefix + "..." + k.substring(k.length() - 4));
        record.put("owner_actor_id", ownerActorId);
        record.put("digest", digest);
        put(API_KEYS, record);
        keyIdByDigest.put(digest, record.get("id").asText());
        return new Issued(k, record);
    }

    /** Refuses a key from now on (deleted bot, rotated without grace, deleted user). */
    synchronized void revokeKey(String keyId) {
        ObjectNode record = remove(API_KEYS, keyId);
        if (record != null) {
            String digest = text(record, "digest");
            keyIdByDigest.remove(digest);
            refusedDigests.add(digest);
        }
    }

    /** Every key an actor owns. */
    synchronized List<ObjectNode> keysOf(String actorId) {
        return list(API_KEYS, k -> actorId.equals(text(k, "owner_actor_id")));
    }

    /** What the sandbox knows of a bearer key: one it issued and still honours, one it refuses, or neither. */
    synchronized KeyCheck checkKey(String bearer) {
        String digest = digest(bearer);
        if (refusedDigests.contains(digest)) {
            return new KeyCheck(KeyState.REFUSED, null);
        }
        String id = keyIdByDigest.get(digest);
        ObjectNode record = id == null ? null : get(API_KEYS, id);
        if (record == null) {
            return new KeyCheck(KeyState.UNKNOWN, null);
        }
        String expiration = text(record, "expiration");
        if (expiration != null) {
            Long at = Timestamps.parse(expiration);
            if (at != null && Timestamps.instant(at).isBefore(clock.instant())) {
                revokeKey(id);
                return new KeyCheck(KeyState.REFUSED, null);
            }
        }
        return new KeyCheck(KeyState.VALID, text(record, "owner_actor_id"));
    }

    /** When a key that is still honoured stops being honoured: now plus the given seconds. */
    synchronized void expireKeyIn(String keyId, long seconds) {
        ObjectNode record = get(API_KEYS, keyId);
        if (record != null) {
            record.put("expiration", Timestamps.format(Timestamps.micros(Instant.now(clock).plusSeconds(seconds))));
        }
    }

    private static String digest(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
