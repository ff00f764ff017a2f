package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.prefectcamel.sandbox.Fixtures.ACCOUNT;
import static io.prefectcamel.sandbox.Fixtures.WORKSPACE;
import static io.prefectcamel.sandbox.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventValidatorTest {

    private static final String ID = "5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";

    private static String event(String overrides) {
        String base = "\"id\":\"" + ID + "\",\"occurred\":\"2026-01-15T11:00:00Z\",\"event\":\"demo.happened\","
                + "\"resource\":{\"prefect.resource.id\":\"demo.thing.1\"}";
        return "{" + base + (overrides.isEmpty() ? "" : "," + overrides) + "}";
    }

    /** The single 422 error for a body, checked for FastAPI's shape. */
    private static JsonNode onlyError(String body) {
        ApiException e = (ApiException) org.assertj.core.api.Assertions.catchThrowable(
                () -> EventValidator.validate(json(body), ACCOUNT, WORKSPACE));
        assertThat(e).as("expected a 422 for " + body).isNotNull();
        assertThat(e.status).isEqualTo(422);
        JsonNode detail = e.body.path("detail");
        assertThat(detail.isArray()).isTrue();
        assertThat(detail).hasSize(1);
        JsonNode error = detail.get(0);
        assertThat(error.has("loc") && error.has("msg") && error.has("type")).isTrue();
        return error;
    }

    @Test
    void aValidEventIsAccepted() {
        List<StoredEvent> events = EventValidator.validate(json("[" + event(
                "\"related\":[{\"prefect.resource.id\":\"prefect.tag.x\",\"prefect.resource.role\":\"tag\"}],"
                        + "\"payload\":{\"n\":1.50,\"nested\":{\"a\":[1,2]}},\"follows\":\"" + ID.toUpperCase() + "\"") + "]"),
                ACCOUNT, WORKSPACE);
        assertThat(events).hasSize(1);
        StoredEvent e = events.get(0);
        assertThat(e.id()).isEqualTo(ID);
        assertThat(e.follows()).isEqualTo(ID);
        assertThat(e.account()).isEqualTo(ACCOUNT);
        assertThat(e.workspace()).isEqualTo(WORKSPACE);
        assertThat(e.payloadJson()).as("numbers come back as Prefect (Python) prints them").isEqualTo("{\"n\":1.5,\"nested\":{\"a\":[1,2]}}");
        assertThat(e.related()).hasSize(1);
    }

    @Test
    void missingRequiredFields() {
        for (String field : List.of("id", "occurred", "event", "resource")) {
            String body = "[" + event("").replace("\"" + field + "\":", "\"x" + field + "\":") + "]";
            JsonNode error = onlyError(body);
            assertThat(error.path("type").asText()).isEqualTo("missing");
            assertThat(error.path("msg").asText()).isEqualTo("Field required");
            assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"" + field + "\"]");
        }
    }

    @Test
    void idMustBeAUuid() {
        JsonNode error = onlyError("[" + event("").replace(ID, "not-a-uuid") + "]");
        assertThat(error.path("type").asText()).isEqualTo("uuid_parsing");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"id\"]");
    }

    @Test
    void occurredMustBeADatetime() {
        JsonNode error = onlyError("[" + event("").replace("2026-01-15T11:00:00Z", "soon") + "]");
        assertThat(error.path("type").asText()).startsWith("datetime");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"occurred\"]");
    }

    @Test
    void eventNameAtMost1024Characters() {
        EventValidator.validate(json("[" + event("").replace("demo.happened", "e".repeat(1024)) + "]"), ACCOUNT, WORKSPACE);
        JsonNode error = onlyError("[" + event("").replace("demo.happened", "e".repeat(1025)) + "]");
        assertThat(error.path("type").asText()).isEqualTo("string_too_long");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"event\"]");
        assertThat(error.path("ctx").path("max_length").asInt()).isEqualTo(1024);
    }

    @Test
    void resourceNeedsANonEmptyResourceId() {
        JsonNode error = onlyError("[" + event("").replace("\"prefect.resource.id\":\"demo.thing.1\"", "\"name\":\"x\"") + "]");
        assertThat(error.path("type").asText()).isEqualTo("value_error");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"resource\"]");
        assertThat(error.path("msg").asText()).isEqualTo("Value error, Resources must include the prefect.resource.id label");

        error = onlyError("[" + event("").replace("demo.thing.1", "") + "]");
        assertThat(error.path("msg").asText()).isEqualTo("Value error, The prefect.resource.id label must be non-empty");
    }

    @Test
    void labelValuesMustBeStrings() {
        JsonNode error = onlyError("[" + event("").replace("\"demo.thing.1\"}", "\"demo.thing.1\",\"n\":5}") + "]");
        assertThat(error.path("type").asText()).isEqualTo("string_type");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"resource\",\"n\"]");
    }

    @Test
    void atMost500LabelsPerResource() {
        StringBuilder labels = new StringBuilder("\"prefect.resource.id\":\"demo.thing.1\"");
        for (int i = 0; i < 500; i++) {
            labels.append(",\"l").append(i).append("\":\"v\"");
        }
        JsonNode error = onlyError("[" + event("").replace("\"prefect.resource.id\":\"demo.thing.1\"", labels) + "]");
        assertThat(error.path("type").asText()).isEqualTo("value_error");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"resource\"]");
        assertThat(error.path("msg").asText()).contains("maximum number of labels per resource is 500");
    }

    @Test
    void relatedResourcesNeedARole() {
        JsonNode error = onlyError("[" + event("\"related\":[{\"prefect.resource.id\":\"prefect.tag.a\",\"prefect.resource.role\":\"tag\"},"
                + "{\"prefect.resource.id\":\"prefect.flow.b\"}]") + "]");
        assertThat(error.path("type").asText()).isEqualTo("value_error");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"related\",1]");
        assertThat(error.path("msg").asText()).isEqualTo("Value error, Related Resources must include the prefect.resource.role label");
    }

    @Test
    void atMost100RelatedResources() {
        StringBuilder related = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            related.append(i == 0 ? "" : ",").append("{\"prefect.resource.id\":\"r").append(i).append("\",\"prefect.resource.role\":\"x\"}");
        }
        JsonNode error = onlyError("[" + event("\"related\":[" + related + "]") + "]");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"related\"]");
        assertThat(error.path("msg").asText()).contains("maximum number of related resources is 100");
    }

    @Test
    void payloadMustBeAnObjectAndFollowsAUuid() {
        JsonNode error = onlyError("[" + event("\"payload\":[1]") + "]");
        assertThat(error.path("type").asText()).isEqualTo("dict_type");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"payload\"]");
        error = onlyError("[" + event("\"follows\":\"previous\"") + "]");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"follows\"]");
    }

    @Test
    void errorsAreIndexedByEventAndAllReported() {
        ApiException e = (ApiException) org.assertj.core.api.Assertions.catchThrowable(() -> EventValidator.validate(
                json("[" + event("") + "," + event("").replace("demo.thing.1", "") + ",5]"), ACCOUNT, WORKSPACE));
        assertThat(e.body.path("detail")).hasSize(2);
        assertThat(e.body.path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",1,\"resource\"]");
        assertThat(e.body.path("detail").get(1).path("loc").toString()).isEqualTo("[\"body\",2]");
    }

    @Test
    void theBodyMustBeAList() {
        JsonNode error = onlyError(event(""));
        assertThat(error.path("type").asText()).isEqualTo("list_type");
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\"]");
        assertThatThrownBy(() -> EventValidator.validate(null, ACCOUNT, WORKSPACE))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.body.toString()).contains("\"missing\""));
    }
}
