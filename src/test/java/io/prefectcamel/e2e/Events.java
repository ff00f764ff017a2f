package io.prefectcamel.e2e;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefectcamel.sandbox.StoredEvent;

/** Events as a client writes them ({@code Event} JSON), built fluently, and what the tests need to compare them. */
public final class Events {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    /** A moment in the past, to whole milliseconds, that every query's default window (the last 14 days) holds. */
    public static Instant recent() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.HOURS);
    }

    public static Event event(String name, String resourceId) {
        return new Event(name, resourceId);
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The events as a create body (a JSON array). */
    public static String body(Collection<Event> events) {
        ArrayNode array = JSON.createArrayNode();
        events.forEach(e -> array.add(e.json()));
        return array.toString();
    }

    /** The ids of the given events (JSON events as Prefect answers them), in their order. */
    public static List<String> ids(Iterable<JsonNode> events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    /** One event, its id a new UUID. */
    public static final class Event {
        private final String id = UUID.randomUUID().toString();
        private final String name;
        private Instant occurred = recent();
        private final Map<String, String> resource = new LinkedHashMap<>();
        private final List<Map<String, String>> related = new ArrayList<>();
        private final Map<String, String> payload = new LinkedHashMap<>();

        private Event(String name, String resourceId) {
            this.name = name;
            resource.put("prefect.resource.id", resourceId);
        }

        public Event at(Instant when) {
            this.occurred = when;
            return this;
        }

        public Event label(String name, String value) {
            resource.put(name, value);
            return this;
        }

        /** A related resource with its role and id, then further label name/value pairs. */
        public Event related(String role, String resourceId, String... moreLabels) {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("prefect.resource.id", resourceId);
            r.put("prefect.resource.role", role);
            for (int i = 0; i < moreLabels.length; i += 2) {
                r.put(moreLabels[i], moreLabels[i + 1]);
            }
            related.add(r);
            return this;
        }

        public Event payload(String name, String value) {
            payload.put(name, value);
            return this;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public Instant occurred() {
            return occurred;
        }

        public String resourceId() {
            return resource.get("prefect.resource.id");
        }

        public String label(String name) {
            return resource.get(name);
        }

        /** The values of the resource's labels. */
        public java.util.Collection<String> resourceLabels() {
            return resource.values();
        }

        public List<Map<String, String>> related() {
            return related;
        }

        public Map<String, String> payload() {
            return payload;
        }

        public ObjectNode json() {
            ObjectNode e = JSON.createObjectNode();
            e.put("id", id);
            e.put("occurred", occurred.toString());
            e.put("event", name);
            ObjectNode r = e.putObject("resource");
            resource.forEach(r::put);
            ArrayNode rel = e.putArray("related");
            for (Map<String, String> one : related) {
                ObjectNode o = rel.addObject();
                one.forEach(o::put);
            }
            ObjectNode p = e.putObject("payload");
            payload.forEach(p::put);
            return e;
        }

        /** The event as the sandbox stores it, to fill its store directly. */
        public StoredEvent stored(Scope scope) {
            StoredEvent.Builder b = StoredEvent.builder().id(id).occurred(occurred).event(name).resource(resource)
                    .account(scope.account()).workspace(scope.workspace());
            related.forEach(b::related);
            if (!payload.isEmpty()) {
                b.payload(JSON.valueToTree(payload));
            }
            return b.build();
        }
    }
}
