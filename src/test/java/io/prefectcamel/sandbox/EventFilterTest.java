package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.prefectcamel.sandbox.Fixtures.NOW;
import static io.prefectcamel.sandbox.Fixtures.event;
import static io.prefectcamel.sandbox.Fixtures.filter;
import static io.prefectcamel.sandbox.Fixtures.filterProblems;
import static org.assertj.core.api.Assertions.assertThat;

class EventFilterTest {

    private final StoredEvent running = event("prefect.flow-run.Running", "prefect.flow-run.abc")
            .resource("prefect.resource.id", "prefect.flow-run.abc", "prefect.resource.name", "crimson-otter", "env", "prod-eu")
            .related("prefect.resource.id", "prefect.flow.f1", "prefect.resource.role", "flow", "prefect.resource.name", "etl-orders")
            .related("prefect.resource.id", "prefect.tag.nightly", "prefect.resource.role", "tag")
            .related("prefect.resource.id", "prefect-cloud.user.u1", "prefect.resource.role", "actor", "prefect.resource.name", "alice")
            .payload("{\"validated_state\":{\"type\":\"RUNNING\",\"message\":\"Connection timeout while polling\"}}")
            .build();

    private final StoredEvent taskCompleted = event("prefect.task-run.Completed", "prefect.task-run.t1")
            .related("prefect.resource.id", "prefect.flow-run.abc", "prefect.resource.role", "flow-run")
            .build();

    @Test
    void emptyFilterMatchesEverythingInTheDefaultWindow() {
        EventFilter f = filter("{}");
        assertThat(f.matches(running)).isTrue();
        assertThat(f.matches(taskCompleted)).isTrue();
        assertThat(f.order).isEqualTo(EventFilter.Order.DESC);
        assertThat(f.until).isEqualTo(Timestamps.micros(NOW));
        // Prefect's default (start of today less 180 days) is clamped to Cloud's 14-day window
        assertThat(f.since).isEqualTo(Timestamps.micros(NOW.minus(Duration.ofDays(14))));
    }

    @Test
    void occurredBoundsAreInclusive() {
        Instant at = running.occurred();
        assertThat(filter("{\"occurred\":{\"since\":\"" + at + "\",\"until\":\"" + at + "\"}}").matches(running)).isTrue();
        assertThat(filter("{\"occurred\":{\"since\":\"" + at.plusNanos(1000) + "\"}}").matches(running)).isFalse();
        assertThat(filter("{\"occurred\":{\"until\":\"" + at.minusNanos(1000) + "\"}}").matches(running)).isFalse();
    }

    @Test
    void occurredAcceptsOffsetsAndNaiveTimes() {
        EventFilter f = filter("{\"occurred\":{\"since\":\"2026-01-15T13:00:00+01:00\",\"until\":\"2026-01-15 12:30:00\"}}");
        assertThat(f.since).isEqualTo(Timestamps.micros(Instant.parse("2026-01-15T12:00:00Z")));
        assertThat(f.until).isEqualTo(Timestamps.micros(Instant.parse("2026-01-15T12:30:00Z")));
    }

    @Test
    void sinceOlderThanFourteenDaysIsClamped() {
        EventFilter f = filter("{\"occurred\":{\"since\":\"2025-01-01T00:00:00Z\"}}");
        assertThat(f.since).isEqualTo(Timestamps.micros(NOW.minus(Duration.ofDays(14))));
        assertThat(f.normalized.path("occurred").path("since").asText()).isEqualTo("2026-01-01T12:00:00Z");
    }

    @Test
    void eventNamePrefixAndExclusions() {
        assertThat(filter("{\"event\":{\"prefix\":[\"prefect.flow-run.\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"event\":{\"prefix\":[\"prefect.flow-run.\"]}}").matches(taskCompleted)).isFalse();
        assertThat(filter("{\"event\":{\"prefix\":[\"x.\",\"prefect.task-run.\"]}}").matches(taskCompleted)).isTrue();
        assertThat(filter("{\"event\":{\"exclude_prefix\":[\"prefect.task-run.\"]}}").matches(taskCompleted)).isFalse();
        assertThat(filter("{\"event\":{\"exclude_prefix\":[\"prefect.task-run.\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"event\":{\"name\":[\"prefect.flow-run.Running\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"event\":{\"name\":[\"prefect.flow-run\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"event\":{\"exclude_name\":[\"prefect.flow-run.Running\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"event\":{\"name\":[]}}").matches(running)).as("empty list: no constraint").isTrue();
    }

    @Test
    void resourceIdAndPrefix() {
        assertThat(filter("{\"resource\":{\"id\":[\"prefect.flow-run.abc\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"resource\":{\"id\":[\"prefect.flow-run.abc\"]}}").matches(taskCompleted)).isFalse();
        assertThat(filter("{\"resource\":{\"id_prefix\":[\"prefect.task-run.\"]}}").matches(taskCompleted)).isTrue();
        assertThat(filter("{\"resource\":{\"id_prefix\":[\"prefect.task-run.\"]}}").matches(running)).isFalse();
    }

    @Test
    void resourceLabelsWithWildcardsAndNegation() {
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"prod-eu\"}}}").matches(running)).isTrue();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":[\"prod-us\",\"prod-eu\"]}}}").matches(running)).isTrue();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"prod-*\"}}}").matches(running)).isTrue();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"dev-*\"}}}").matches(running)).isFalse();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"!prod-eu\"}}}").matches(running)).isFalse();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"!dev\"}}}").matches(running)).isTrue();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"!prod-*\"}}}").matches(running)).isFalse();
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":[\"prod-*\",\"!prod-eu\"]}}}").matches(running)).isFalse();
        // a negated label still requires the label to be present
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":\"!dev\"}}}").matches(taskCompleted)).isFalse();
        // an empty list of values matches nothing
        assertThat(filter("{\"resource\":{\"labels\":{\"env\":[]}}}").matches(running)).isFalse();
        assertThat(filter("{\"resource\":{\"labels\":{\"prefect.resource.id\":\"prefect.flow-run.*\"}}}").matches(running)).isTrue();
        assertThat(filter("{\"resource\":{\"labels\":{\"prefect.resource.id\":\"prefect.flow-run.*\"}}}").matches(taskCompleted)).isFalse();
    }

    @Test
    void relatedNeedsOneRelatedResourceMatchingAllCriteria() {
        assertThat(filter("{\"related\":{\"role\":[\"flow\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"related\":{\"role\":[\"deployment\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"related\":{\"id\":[\"prefect.flow.f1\"],\"role\":[\"flow\"]}}").matches(running)).isTrue();
        // id and role on different related resources do not combine
        assertThat(filter("{\"related\":{\"id\":[\"prefect.flow.f1\"],\"role\":[\"tag\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"related\":{\"resources_in_roles\":[[\"prefect.tag.nightly\",\"tag\"]]}}").matches(running)).isTrue();
        assertThat(filter("{\"related\":{\"resources_in_roles\":[[\"prefect.tag.nightly\",\"flow\"]]}}").matches(running)).isFalse();
        assertThat(filter("{\"related\":{\"labels\":{\"prefect.resource.role\":\"actor\",\"prefect.resource.name\":\"ali*\"}}}").matches(running)).isTrue();
        assertThat(filter("{\"related\":{\"labels\":{\"prefect.resource.name\":\"bob\"}}}").matches(running)).isFalse();
        // the primary resource is not a related resource
        assertThat(filter("{\"related\":{\"id\":[\"prefect.flow-run.abc\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"related\":{\"id\":[\"prefect.flow-run.abc\"]}}").matches(taskCompleted)).isTrue();
    }

    @Test
    void aListOfRelatedFiltersIsAnded() {
        assertThat(filter("{\"related\":[{\"role\":[\"flow\"]},{\"role\":[\"tag\"]}]}").matches(running)).isTrue();
        assertThat(filter("{\"related\":[{\"role\":[\"flow\"]},{\"role\":[\"work-pool\"]}]}").matches(running)).isFalse();
    }

    @Test
    void anyResourceLooksAtTheResourceAndRelatedResources() {
        assertThat(filter("{\"any_resource\":{\"id\":[\"prefect.flow-run.abc\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"any_resource\":{\"id\":[\"prefect.flow-run.abc\"]}}").matches(taskCompleted)).isTrue();
        assertThat(filter("{\"any_resource\":{\"id_prefix\":[\"prefect.tag.\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"any_resource\":{\"id_prefix\":[\"prefect.tag.\"]}}").matches(taskCompleted)).isFalse();
        assertThat(filter("{\"any_resource\":{\"labels\":{\"prefect.resource.id\":\"prefect-cloud.user.*\"}}}").matches(running)).isTrue();
        // criteria must hold on the same resource
        assertThat(filter("{\"any_resource\":{\"id\":[\"prefect.flow-run.abc\"],\"id_prefix\":[\"prefect.tag.\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"any_resource\":[{\"id\":[\"prefect.flow-run.abc\"]},{\"id_prefix\":[\"prefect.tag.\"]}]}").matches(running)).isTrue();
    }

    @Test
    void idFilter() {
        assertThat(filter("{\"id\":{\"id\":[\"" + running.id() + "\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"id\":{\"id\":[\"" + running.id().toUpperCase() + "\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"id\":{\"id\":[\"" + running.id() + "\"]}}").matches(taskCompleted)).isFalse();
    }

    @Test
    void textSearchCoversNameLabelValuesAndPayload() {
        assertThat(filter("{\"text\":{\"query\":\"crimson\"}}").matches(running)).as("resource label value").isTrue();
        assertThat(filter("{\"text\":{\"query\":\"ETL-ORDERS\"}}").matches(running)).as("related value, any case").isTrue();
        assertThat(filter("{\"text\":{\"query\":\"flow-run.Running\"}}").matches(running)).as("event name").isTrue();
        assertThat(filter("{\"text\":{\"query\":\"\\\"connection timeout\\\"\"}}").matches(running)).as("phrase in payload").isTrue();
        assertThat(filter("{\"text\":{\"query\":\"\\\"timeout connection\\\"\"}}").matches(running)).isFalse();
        assertThat(filter("{\"text\":{\"query\":\"nomatch crimson\"}}").matches(running)).as("terms are ORed").isTrue();
        assertThat(filter("{\"text\":{\"query\":\"crimson -alice\"}}").matches(running)).as("exclusion").isFalse();
        assertThat(filter("{\"text\":{\"query\":\"crimson !bob\"}}").matches(running)).isTrue();
        assertThat(filter("{\"text\":{\"query\":\"+crimson +nomatch\"}}").matches(running)).as("required").isFalse();
        assertThat(filter("{\"text\":{\"query\":\"prefect.resource.name\"}}").matches(running)).as("label names are not searched").isFalse();
    }

    @Test
    void textQueryParsing() {
        TextQuery q = TextQuery.parse("error -debug +\"must have\" !\"not \\\"this\\\"\" - lone");
        assertThat(q.include).containsExactly("error", "lone");
        assertThat(q.exclude).containsExactly("debug", "not \"this\"");
        assertThat(q.required).containsExactly("must have");
    }

    @Test
    void scopeFilter() {
        assertThat(filter("{\"scope\":{\"workspace\":[\"" + Fixtures.WORKSPACE + "\"]}}").matches(running)).isTrue();
        assertThat(filter("{\"scope\":{\"workspace\":[\"" + Fixtures.OTHER_WORKSPACE + "\"]}}").matches(running)).isFalse();
        assertThat(filter("{\"scope\":{\"account\":\"" + Fixtures.OTHER_WORKSPACE + "\"}}").matches(running)).isFalse();
    }

    @Test
    void orderAndDistinctAreParsed() {
        EventFilter f = filter("{\"order\":\"ASC\",\"resource\":{\"distinct\":true}}");
        assertThat(f.order).isEqualTo(EventFilter.Order.ASC);
        assertThat(f.distinct).isTrue();
    }

    @Test
    void invalidFiltersReportFastApiStyleLocations() {
        JsonNode errors = filterProblems("{\"bogus\":1,\"event\":{\"prefix\":\"prefect.\"},\"order\":\"up\","
                + "\"occurred\":{\"since\":\"yesterday\"},\"id\":{\"id\":[\"nope\"]},\"text\":{\"query\":" + 7 + "},"
                + "\"resource\":{\"labels\":{\"env\":5}},\"related\":[{\"role\":\"flow\"}]}");
        assertThat(errors.findValuesAsText("type")).contains("extra_forbidden", "list_type", "enum",
                "datetime_from_date_parsing", "uuid_parsing", "string_type");
        assertThat(errors.toString())
                .contains("[\"body\",\"filter\",\"bogus\"]")
                .contains("[\"body\",\"filter\",\"event\",\"prefix\"]")
                .contains("[\"body\",\"filter\",\"order\"]")
                .contains("[\"body\",\"filter\",\"occurred\",\"since\"]")
                .contains("[\"body\",\"filter\",\"id\",\"id\",0]")
                .contains("[\"body\",\"filter\",\"text\",\"query\"]")
                .contains("[\"body\",\"filter\",\"related\",\"list[EventRelatedFilter]\",0,\"role\"]");
    }

    @Test
    void textQueryLongerThan200IsRejected() {
        JsonNode errors = filterProblems("{\"text\":{\"query\":\"" + "a".repeat(201) + "\"}}");
        assertThat(errors.get(0).path("type").asText()).isEqualTo("string_too_long");
    }

    @Test
    void normalizedFilterReparsesToTheSameWindowWithoutClamping() {
        EventFilter first = filter("{\"event\":{\"prefix\":[\"prefect.\"]}}");
        Problems problems = new Problems();
        EventFilter again = EventFilter.parse(first.normalized, Problems.loc("token"), problems,
                Timestamps.micros(NOW.plus(Duration.ofDays(3))), false);
        assertThat(problems.isEmpty()).isTrue();
        assertThat(again.since).isEqualTo(first.since);
        assertThat(again.until).isEqualTo(first.until);
        assertThat(again.namePrefix).containsExactly("prefect.");
    }
}
