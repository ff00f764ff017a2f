package io.prefectcamel.mcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * MCP session ids that carry the little state a session has, signed, so that any replica holding the same key can
 * rebuild the session: {@code s1.<payload>.<signature>}, both parts base64url without padding (visible ASCII only, as
 * the MCP spec asks of session ids). The payload is a small JSON object: the negotiated protocol version, a digest of
 * the credential the session belongs to (not the caller's id itself), the issue time, a random nonce, the client's
 * name and version and its capabilities (when small). The signature is HMAC-SHA256 over {@code s1.<payload>}.
 *
 * <p>The key: {@code mcp.session-secret} when set; otherwise derived from the Prefect API key (so replicas that share
 * the key agree without more configuration); otherwise random for this server's lifetime (a single replica).
 */
final class SessionIds {

    static final String PREFIX = "s1.";
    /** Longer ids are refused before any decoding. */
    static final int MAX_LENGTH = 2048;
    private static final int MAX_CAPABILITIES_JSON = 400;
    private static final int MAX_CLIENT_TEXT = 100;
    private static final String HMAC = "HmacSHA256";
    private static final String LABEL_SECRET = "prefect-camel mcp session id key v1";
    private static final String LABEL_API_KEY = "prefect-camel mcp session id key v1 from the Prefect API key";
    private static final String LABEL_OWNER = "owner:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the signing key came from (logged; the key never is). */
    enum KeySource {
        SETTING("from mcp.session-secret"),
        PREFECT_API_KEY("derived from the Prefect API key"),
        RANDOM("made at random for this server only");

        final String text;

        KeySource(String text) {
            this.text = text;
        }
    }

    /** What a verified id says. */
    record Claims(String protocolVersion, String ownerDigest, long issuedAtMillis, McpSchema.InitializeRequest init) {
    }

    private final byte[] key;
    private final KeySource source;
    private final Duration maxAge;

    private SessionIds(byte[] key, KeySource source, Duration maxAge) {
        this.key = key;
        this.source = source;
        this.maxAge = maxAge;
    }

    /**
     * @param secret       mcp.session-secret, or null / blank
     * @param prefectApiKey the Prefect API key, or null / blank
     * @param maxAge       how long an id is accepted after it was issued (zero: no limit)
     */
    static SessionIds of(String secret, String prefectApiKey, Duration maxAge) {
        if (secret != null && !secret.isBlank()) {
            return new SessionIds(hmac(secret.trim().getBytes(StandardCharsets.UTF_8), LABEL_SECRET), KeySource.SETTING,
                    maxAge);
        }
        if (prefectApiKey != null && !prefectApiKey.isBlank()) {
            return new SessionIds(hmac(prefectApiKey.trim().getBytes(StandardCharsets.UTF_8), LABEL_API_KEY),
                    KeySource.PREFECT_API_KEY, maxAge);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return new SessionIds(random, KeySource.RANDOM, maxAge);
    }

    KeySource source() {
        return source;
    }

    Duration maxAge() {
        return maxAge;
    }

    /** A new id for a session of {@code owner} (a caller id), negotiated at {@code protocolVersion}. */
    String issue(String protocolVersion, String owner, McpSchema.InitializeRequest init, long nowMillis) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("p", protocolVersion);
        payload.put("o", ownerDigest(owner));
        payload.put("t", nowMillis / 1000);
        payload.put("n", B64.encodeToString(nonce));
        if (init.clientInfo() != null) {
            payload.put("c", clip(init.clientInfo().name()));
            payload.put("cv", clip(init.clientInfo().version()));
        }
        Map<String, Object> capabilities = capabilities(init.capabilities());
        if (capabilities != null) {
            payload.put("k", capabilities);
        }
        String body;
        try {
            body = PREFIX + B64.encodeToString(JSON.writeValueAsBytes(payload));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write a session id", e);
        }
        return body + "." + B64.encodeToString(sign(body));
    }

    /**
     * The claims of a well-formed id whose signature verifies with this key and that is not older than the max age,
     * else null (tampered, signed with another key, expired or not an id of this kind).
     */
    Claims verify(String id, long nowMillis) {
        if (id == null || id.length() > MAX_LENGTH || !id.startsWith(PREFIX)) {
            return null;
        }
        int dot = id.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            return null;
        }
        String body = id.substring(0, dot);
        byte[] presented;
        try {
            presented = B64D.decode(id.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(sign(body), presented)) {
            return null;
        }
        try {
            Map<?, ?> payload = JSON.readValue(B64D.decode(body.substring(PREFIX.length())), Map.class);
            String version = (String) payload.get("p");
            String owner = (String) payload.get("o");
            long issued = ((Number) payload.get("t")).longValue() * 1000;
            if (version == null || owner == null) {
                return null;
            }
            if (!maxAge.isZero() && nowMillis - issued > maxAge.toMillis()) {
                return null;
            }
            Object name = payload.get("c");
            Object clientVersion = payload.get("cv");
            McpSchema.Implementation client = new McpSchema.Implementation(
                    name instanceof String s ? s : "unknown", clientVersion instanceof String s ? s : "unknown");
            McpSchema.ClientCapabilities capabilities = payload.get("k") instanceof Map<?, ?> k
                    ? JSON.convertValue(k, McpSchema.ClientCapabilities.class)
                    : new McpSchema.ClientCapabilities(null, null, null, null);
            return new Claims(version, owner, issued, new McpSchema.InitializeRequest(version, capabilities, client));
        } catch (Exception e) {
            // signed by this key but not readable: not an id this server issued
            return null;
        }
    }

    /** True when the id's owner digest is the one of this caller id. */
    boolean ownedBy(Claims claims, String callerId) {
        return callerId != null && MessageDigest.isEqual(
                claims.ownerDigest().getBytes(StandardCharsets.US_ASCII),
                ownerDigest(callerId).getBytes(StandardCharsets.US_ASCII));
    }

    /** When an id issued at {@code issuedAtMillis} stops being accepted, or Long.MAX_VALUE without a max age. */
    long expiresAt(long issuedAtMillis) {
        return maxAge.isZero() ? Long.MAX_VALUE : issuedAtMillis + maxAge.toMillis();
    }

    private String ownerDigest(String owner) {
        byte[] mac = sign(LABEL_OWNER + owner);
        byte[] half = new byte[16];
        System.arraycopy(mac, 0, half, 0, half.length);
        return B64.encodeToString(half);
    }

    /** The capabilities without experimental ones, or null when they are absent or too large to carry. */
    private static Map<String, Object> capabilities(McpSchema.ClientCapabilities capabilities) {
        if (capabilities == null) {
            return null;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(capabilities, LinkedHashMap.class);
            map.remove("experimental");
            map.values().removeIf(v -> v == null);
            if (map.isEmpty() || JSON.writeValueAsString(map).length() > MAX_CAPABILITIES_JSON) {
                return null;
            }
            return map;
        } catch (Exception e) {
            return null;
        }
    }

    private static String clip(String s) {
        return s == null ? null : s.length() <= MAX_CLIENT_TEXT ? s : s.substring(0, MAX_CLIENT_TEXT);
    }

    private byte[] sign(String text) {
        return hmac(key, text);
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
