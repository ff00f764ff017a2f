package io.prefectcamel.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

    private static long micros(String instant) {
        return Timestamps.micros(Instant.parse(instant));
    }

    @Test
    void formatsLikePydantic() {
        assertThat(Timestamps.format(micros("2026-01-15T12:00:00Z"))).isEqualTo("2026-01-15T12:00:00Z");
        assertThat(Timestamps.format(micros("2026-01-15T12:00:00.120Z"))).isEqualTo("2026-01-15T12:00:00.120000Z");
        assertThat(Timestamps.isoformat(micros("2026-01-15T00:00:00Z"))).isEqualTo("2026-01-15T00:00:00+00:00");
    }

    @Test
    void parsesWhatPydanticAccepts() {
        long noon = micros("2026-01-15T12:00:00Z");
        assertThat(Timestamps.parse("2026-01-15T12:00:00Z")).isEqualTo(noon);
        assertThat(Timestamps.parse("2026-01-15T12:00:00+00:00")).isEqualTo(noon);
        assertThat(Timestamps.parse("2026-01-15T17:30:00+0530")).isEqualTo(noon);
        assertThat(Timestamps.parse("2026-01-15T07:00:00-05")).isEqualTo(noon);
        assertThat(Timestamps.parse("2026-01-15 12:00:00")).as("naive is UTC").isEqualTo(noon);
        assertThat(Timestamps.parse("2026-01-15")).isEqualTo(micros("2026-01-15T00:00:00Z"));
        assertThat(Timestamps.parse("2026-01-15T12:00:00.1234567Z")).as("truncated to microseconds").isEqualTo(noon + 123_456);
        assertThat(Timestamps.parse(Json.NODES.numberNode(1_768_478_400L))).isEqualTo(noon);
        assertThat(Timestamps.parse(Json.NODES.numberNode(1_768_478_400_000L))).as("milliseconds").isEqualTo(noon);
        assertThat(Timestamps.parse("tomorrow")).isNull();
        assertThat(Timestamps.parse("2026-13-01T00:00:00Z")).isNull();
        assertThat(Timestamps.parse(Json.NODES.booleanNode(true))).isNull();
    }

    @Test
    void uuidsAreCanonicalized() {
        assertThat(Uuids.canonical("5E7A1B2C3D4E4F508A6B7C8D9E0F1A2B")).isEqualTo("5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b");
        assertThat(Uuids.canonical("urn:uuid:5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b")).isEqualTo("5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b");
        assertThat(Uuids.canonical("1-1-1-1-1")).isNull();
        assertThat(Uuids.canonical("5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2")).isNull();
        assertThat(Uuids.canonical("5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2g")).isNull();
    }
}
