package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.Test;

/** Signed session ids: who can verify them, what they carry, and what they never carry. */
class SessionIdsTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final McpSchema.InitializeRequest INIT = new McpSchema.InitializeRequest("2025-06-18",
            new McpSchema.ClientCapabilities(null, new McpSchema.ClientCapabilities.RootCapabilities(true), null, null),
            new McpSchema.Implementation("agent", "2.0"));

    @Test
    void replicasWithTheSameSecretVerifyEachOthersIdsAndRebuildTheInitializeRequest() {
        SessionIds one = SessionIds.of("shared-secret-of-the-replicas-0123456789", null, DAY);
        SessionIds two = SessionIds.of("shared-secret-of-the-replicas-0123456789", null, DAY);
        long now = System.currentTimeMillis();
        String id = one.issue("2025-06-18", "token:abc", INIT, now);
        SessionIds.Claims claims = two.verify(id, now + 1000);
        assertThat(claims).isNotNull();
        assertThat(claims.protocolVersion()).isEqualTo("2025-06-18");
        assertThat(claims.init().protocolVersion()).isEqualTo("2025-06-18");
        assertThat(claims.init().clientInfo().name()).isEqualTo("agent");
        assertThat(claims.init().clientInfo().version()).isEqualTo("2.0");
        assertThat(claims.init().capabilities().roots().listChanged()).isTrue();
        assertThat(two.ownedBy(claims, "token:abc")).isTrue();
        assertThat(two.ownedBy(claims, "token:abd")).isFalse();
        assertThat(SessionIds.of("another-secret-0123456789-0123456789", null, DAY).verify(id, now)).isNull();
        assertThat(one.source()).isEqualTo(SessionIds.KeySource.SETTING);
    }

    @Test
    void withoutASecretTheKeyComesFromThePrefectKeyElseItIsRandom() {
        long now = System.currentTimeMillis();
        SessionIds a = SessionIds.of(null, TestKey.VALUE, DAY);
        SessionIds b = SessionIds.of("  ", TestKey.VALUE, DAY);
        assertThat(a.source()).isEqualTo(SessionIds.KeySource.PREFECT_API_KEY);
        assertThat(b.verify(a.issue("2025-11-25", "anonymous", INIT, now), now)).isNotNull();
        // an id signed with the Prefect key itself, rather than the derived key, is not valid
        assertThat(SessionIds.of(TestKey.VALUE, null, DAY).verify(a.issue("2025-11-25", "anonymous", INIT, now), now))
                .isNull();
        SessionIds r1 = SessionIds.of(null, null, DAY);
        SessionIds r2 = SessionIds.of(null, "", DAY);
        assertThat(r1.source()).isEqualTo(SessionIds.KeySource.RANDOM);
        assertThat(r2.verify(r1.issue("2025-11-25", "anonymous", INIT, now), now)).isNull();
        assertThat(r1.verify(r1.issue("2025-11-25", "anonymous", INIT, now), now)).isNotNull();
    }

    @Test
    void idsAreVisibleAsciiAndHoldNeitherTheKeyNorTheCallersId() throws Exception {
        SessionIds ids = SessionIds.of(null, TestKey.VALUE, DAY);
        long now = System.currentTimeMillis();
        for (int n = 0; n < 200; n++) {
            String id = ids.issue("2025-11-25", "token:caller-" + n, INIT, now);
            assertThat(id.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
            assertThat(id.length()).isLessThan(400);
            String payload = new String(Base64.getUrlDecoder().decode(id.split("\\.")[1]), StandardCharsets.UTF_8);
            assertThat(payload).doesNotContain("caller-" + n);
            assertThat(TestKey.isIn(id) || TestKey.isIn(payload)).isFalse();
            assertThat(ids.issue("2025-11-25", "token:caller-" + n, INIT, now)).as("unique").isNotEqualTo(id);
        }
    }

    @Test
    void anIdIsRefusedAfterItsMaxAgeAndNeverWithoutOne() {
        long now = System.currentTimeMillis();
        SessionIds hour = SessionIds.of("secret-secret-secret-secret-secret-0", null, Duration.ofHours(1));
        String id = hour.issue("2025-11-25", "anonymous", INIT, now);
        assertThat(hour.verify(id, now + Duration.ofMinutes(59).toMillis())).isNotNull();
        assertThat(hour.verify(id, now + Duration.ofMinutes(61).toMillis())).isNull();
        SessionIds forever = SessionIds.of("secret-secret-secret-secret-secret-0", null, Duration.ZERO);
        assertThat(forever.verify(id, now + Duration.ofDays(3650).toMillis())).isNotNull();
    }

    @Test
    void malformedAndAlteredIdsAreRefused() {
        SessionIds ids = SessionIds.of("secret-secret-secret-secret-secret-0", null, DAY);
        long now = System.currentTimeMillis();
        String id = ids.issue("2025-11-25", "anonymous", INIT, now);
        String[] parts = id.split("\\.");
        // a payload re-encoded with another owner but the old signature
        String forged = "s1." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"t\":", "\"x\":0,\"t\":").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        for (String bad : new String[] {null, "", "s1.", "s1..", "abc", java.util.UUID.randomUUID().toString(), forged,
                id + "x", id.replace("s1.", "s2."), parts[0] + "." + parts[1], "s1.!!!." + parts[2],
                "s1." + "A".repeat(SessionIds.MAX_LENGTH) + "." + parts[2]}) {
            assertThat(ids.verify(bad, now)).as(String.valueOf(bad)).isNull();
        }
        assertThat(ids.verify(id, now)).isNotNull();
        // large capabilities are left out, the id stays small
        McpSchema.InitializeRequest big = new McpSchema.InitializeRequest("2025-11-25",
                new McpSchema.ClientCapabilities(Map.of("x", Map.of("y", "z".repeat(5000))),
                        new McpSchema.ClientCapabilities.RootCapabilities(true), null, null),
                new McpSchema.Implementation("n".repeat(1000), "v"));
        String small = ids.issue("2025-11-25", "anonymous", big, now);
        assertThat(small.length()).isLessThan(400);
        assertThat(ids.verify(small, now).init().clientInfo().name()).hasSize(100);
    }
}
