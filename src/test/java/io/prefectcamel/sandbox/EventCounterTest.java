package io.prefectcamel.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.prefectcamel.sandbox.Fixtures.ACCOUNT;
import static io.prefectcamel.sandbox.Fixtures.NOW;
import static io.prefectcamel.sandbox.Fixtures.WORKSPACE;
import static io.prefectcamel.sandbox.Fixtures.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCounterTest {

    private final EventStore store = new EventStore(Clock.fixed(NOW, ZoneOffset.UTC));
    private final Scope scope = new Scope(ACCOUNT, WORKSPACE);
    private final long now = Timestamps.micros(NOW);

    private void add(String name, String resource, Instant at, String actor) {
        StoredEvent.Builder b = StoredEvent.builder().id(UUID.randomUUID()).occurred(at).event(name)
                .resource("prefect.resource.id", resource, "prefect.resource.name", resource.toUpperCase())
                .account(ACCOUNT).workspace(WORKSPACE);
        if (actor != null) {
            b.related("prefect.resource.id", "prefect-cloud.user." + actor, "prefect.resource.role", "actor", "prefect.resource.name", actor);
        }
        store.add(b.build());
    }

    @Test
    void hourBucketsAreAlignedAndZeroFilled() {
        add("a", "r1", Instant.parse("2026-01-15T09:10:00Z"), null);
        add("a", "r1", Instant.parse("2026-01-15T09:50:00Z"), null);
        add("b", "r2", Instant.parse("2026-01-15T11:59:00Z"), null);
        add("b", "r2", Instant.parse("2026-01-15T07:00:00Z"), null); // before the window
        EventFilter f = filter("{\"occurred\":{\"since\":\"2026-01-15T08:30:00Z\",\"until\":\"2026-01-15T12:00:00Z\"}}");
        List<EventCounter.Count> counts = EventCounter.count(store, scope, f, EventCounter.Countable.time,
                EventCounter.TimeUnit.hour, 1.0, now);
        // the span containing 08:30 starts at 08:00; the last span starts at 11:00 (12:00 is the end, exclusive)
        assertThat(counts).extracting(EventCounter.Count::label).containsExactly(
                "2026-01-15T08:00:00+00:00", "2026-01-15T09:00:00+00:00", "2026-01-15T10:00:00+00:00", "2026-01-15T11:00:00+00:00");
        assertThat(counts).extracting(EventCounter.Count::count).containsExactly(0L, 2L, 0L, 1L);
        assertThat(counts).extracting(EventCounter.Count::value).containsExactly("0", "1", "2", "3");
        assertThat(Timestamps.format(counts.get(1).startTime())).isEqualTo("2026-01-15T09:00:00Z");
        assertThat(Timestamps.format(counts.get(1).endTime())).isEqualTo("2026-01-15T09:59:59.999999Z");
    }

    @Test
    void dayCountableUsesWholeDaysWhateverTheUnit() {
        add("a", "r1", Instant.parse("2026-01-13T10:00:00Z"), null);
        add("a", "r1", Instant.parse("2026-01-15T10:00:00Z"), null);
        EventFilter f = filter("{\"occurred\":{\"since\":\"2026-01-12T00:00:00Z\",\"until\":\"2026-01-15T12:00:00Z\"}}");
        List<EventCounter.Count> counts = EventCounter.count(store, scope, f, EventCounter.Countable.day,
                EventCounter.TimeUnit.hour, 1.0, now);
        assertThat(counts).extracting(EventCounter.Count::count).containsExactly(0L, 1L, 0L, 1L);
        assertThat(counts.get(0).label()).isEqualTo("2026-01-12T00:00:00+00:00");
    }

    @Test
    void anOpenEndedWindowRunsToTheEndOfTheCurrentUnit() {
        add("a", "r1", Instant.parse("2026-01-15T11:59:59Z"), null);
        EventFilter f = filter("{\"occurred\":{\"since\":\"2026-01-15T00:00:00Z\",\"until\":\"2026-01-16T00:00:00Z\"}}");
        List<EventCounter.Count> counts = EventCounter.count(store, scope, f, EventCounter.Countable.day,
                EventCounter.TimeUnit.day, 1.0, now);
        assertThat(counts).hasSize(1);
        assertThat(Timestamps.format(counts.get(0).endTime())).isEqualTo("2026-01-15T23:59:59.999999Z");
        assertThat(counts.get(0).count()).isEqualTo(1);
    }

    @Test
    void moreThan1000BucketsIsA422() {
        EventFilter f = filter("{\"occurred\":{\"since\":\"2026-01-15T11:00:00Z\",\"until\":\"2026-01-15T12:00:00Z\"}}");
        assertThatThrownBy(() -> EventCounter.count(store, scope, f, EventCounter.Countable.time, EventCounter.TimeUnit.second, 1.0, now))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(422);
                    assertThat(e.body.path("detail").asText()).startsWith("The given interval would create 3600 buckets");
                });
        // 3600 seconds in 3.6-second buckets is exactly 1000: allowed
        assertThat(EventCounter.count(store, scope, f, EventCounter.Countable.time, EventCounter.TimeUnit.second, 3.6, now))
                .hasSizeBetween(1000, 1001);
    }

    @Test
    void groupsAreSortedByCountThenLabel() {
        Instant at = NOW.minusSeconds(600);
        add("x.one", "r1", at, "bob");
        add("x.two", "r2", at.plusSeconds(1), "alice");
        add("x.two", "r2", at.plusSeconds(2), null);
        add("x.three", "r3", at.plusSeconds(3), "alice");
        EventFilter f = filter("{}");
        List<EventCounter.Count> byEvent = EventCounter.count(store, scope, f, EventCounter.Countable.event, EventCounter.TimeUnit.day, 1, now);
        assertThat(byEvent).extracting(EventCounter.Count::value).containsExactly("x.two", "x.one", "x.three");
        assertThat(byEvent.get(0).count()).isEqualTo(2);
        assertThat(byEvent.get(0).startTime()).isEqualTo(Timestamps.micros(at.plusSeconds(1)));
        assertThat(byEvent.get(0).endTime()).isEqualTo(Timestamps.micros(at.plusSeconds(2)));

        List<EventCounter.Count> byResource = EventCounter.count(store, scope, f, EventCounter.Countable.resource, EventCounter.TimeUnit.day, 1, now);
        assertThat(byResource.get(0).value()).isEqualTo("r2");
        assertThat(byResource.get(0).label()).isEqualTo("R2");

        List<EventCounter.Count> byActor = EventCounter.count(store, scope, f, EventCounter.Countable.actor, EventCounter.TimeUnit.day, 1, now);
        assertThat(byActor).extracting(EventCounter.Count::label).containsExactly("alice", "bob");
        assertThat(byActor).extracting(EventCounter.Count::count).containsExactly(2L, 1L);

        List<EventCounter.Count> byWorkspace = EventCounter.count(store, scope, f, EventCounter.Countable.workspace, EventCounter.TimeUnit.day, 1, now);
        assertThat(byWorkspace).singleElement().satisfies(c -> {
            assertThat(c.value()).isEqualTo(WORKSPACE);
            assertThat(c.count()).isEqualTo(4);
        });
    }
}
