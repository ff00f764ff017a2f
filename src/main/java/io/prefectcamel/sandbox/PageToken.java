package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What a {@code next_page} link carries: the query (scope, filter with its resolved window, page
 * size), the total counted when it was first run, the store's insertion watermark at that time, and
 * a keyset cursor (the last occurred/id returned). Clients see it as an opaque, HMAC-signed string.
 *
 * @param account   the account of the query's scope
 * @param workspace the workspace of the query's scope, or null for an account-level query
 * @param filter    the normalized filter JSON (occurred.since/until resolved)
 * @param limit     the page size
 * @param total     the total number of matching events at query time
 * @param watermark the store's last insertion sequence at query time (later inserts are not seen)
 * @param cursorOccurred occurred (microseconds) of the last event returned so far
 * @param cursorId  id of the last event returned so far
 */
record PageToken(String account, String workspace, ObjectNode filter, int limit, long total, long watermark,
                 long cursorOccurred, String cursorId) {

    /** Signs and verifies tokens with a per-sandbox random key. */
    static final class Codec {
        private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
        private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

        private final SecretKeySpec key;

        Codec() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            this.key = new SecretKeySpec(secret, "HmacSHA256");
        }

        String encode(PageToken t) {
            ObjectNode node = Json.object();
            node.put("v", 1);
            node.put("a", t.account);
            if (t.workspace == null) {
                node.putNull("w");
            } else {
                node.put("w", t.workspace);
            }
            node.set("f", t.filter);
            node.put("l", t.limit);
            node.put("t", t.total);
            node.put("m", t.watermark);
            node.put("co", t.cursorOccurred);
            node.put("ci", t.cursorId);
            try {
                String payload = ENCODER.encodeToString(Json.MAPPER.writeValueAsBytes(node));
                return payload + "." + ENCODER.encodeToString(mac(payload));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The token's content, or a 403 when it is not one this sandbox signed. */
        PageToken decode(String token) {
            try {
                int dot = token.lastIndexOf('.');
                if (dot <= 0) {
                    throw forbidden();
                }
                String payload = token.substring(0, dot);
                // compared as text: base64's unused low bits would let two spellings decode to one signature
                byte[] signature = token.substring(dot + 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                byte[] expected = ENCODER.encode(mac(payload));
                if (!MessageDigest.isEqual(signature, expected)) {
                    throw forbidden();
                }
                JsonNode node = Json.MAPPER.readTree(DECODER.decode(payload));
                if (node.path("v").asInt() != 1 || !node.path("f").isObject()) {
                    throw forbidden();
                }
                JsonNode w = node.path("w");
                return new PageToken(node.path("a").asText(), w.isNull() ? null : w.asText(), (ObjectNode) node.get("f"),
                        node.path("l").asInt(), node.path("t").asLong(), node.path("m").asLong(),
                        node.path("co").asLong(), node.path("ci").asText());
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException | java.io.IOException e) {
                throw forbidden();
            }
        }

        private byte[] mac(String payload) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static ApiException forbidden() {
            return ApiException.detail(403, "Forbidden");
        }
    }
}
