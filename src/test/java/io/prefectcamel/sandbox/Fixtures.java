package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** Shared helpers for the sandbox tests. */
final class Fixtures {

    static final String ACCOUNT = "11111111-1111-4111-8111-111111111111";
    static final String WORKSPACE = "22222222-2222-4222-8222-222222222222";
    static final String OTHER_WORKSPACE = "33333333-3333-4333-8333-333333333333";
    static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    private Fixtures() {
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Parses a filter that must be valid, with "now" at {@link #NOW}. */
    static EventFilter filter(String json) {
        Problems problems = new Problems();
        EventFilter f = EventFilter.parse(json(json), Problems.loc("body", "filter"), problems, Timestamps.micros(NOW), true);
        if (!problems.isEmpty()) {
            throw new AssertionError("unexpected problems: " + problems.errors());
        }
        return f;
    }

    /** The problems a filter has. */
    static JsonNode filterProblems(String json) {
        Problems problems = new Problems();
        EventFilter.parse(json(json), Problems.loc("body", "filter"), problems, Timestamps.micros(NOW), true);
        return problems.errors();
    }

    static StoredEvent.Builder event(String name, String resourceId) {
        return StoredEvent.builder()
                .id(UUID.randomUUID())
                .occurred(NOW.minusSeconds(60))
                .event(name)
                .resource("prefect.resource.id", resourceId)
                .account(ACCOUNT)
                .workspace(WORKSPACE);
    }

    static StoredEvent flowRunEvent(String state, String flowRunId, Instant occurred, String... tags) {
        StoredEvent.Builder b = StoredEvent.builder()
                .id(UUID.randomUUID())
                .occurred(occurred)
                .event("prefect.flow-run." + state)
                .resource("prefect.resource.id", "prefect.flow-run." + flowRunId, "prefect.resource.name", "run-" + flowRunId.substring(0, 4),
                        "prefect.state-name", state)
                .related("prefect.resource.id", "prefect.flow.aaaa", "prefect.resource.role", "flow", "prefect.resource.name", "etl")
                .account(ACCOUNT)
                .workspace(WORKSPACE);
        for (String tag : tags) {
            b.related("prefect.resource.id", "prefect.tag." + tag, "prefect.resource.role", "tag");
        }
        return b.build();
    }
}
