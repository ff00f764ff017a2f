package io.prefectcamel.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One event as Prefect stores it (a {@code ReceivedEvent}): the client's event plus the account,
 * workspace and time it was received. Immutable. Times are held in microseconds.
 */
public final class StoredEvent {

    /** Storage order: by occurred, ties broken by id, so that paging is stable. */
    static final Comparator<StoredEvent> ORDER = (a, b) -> {
        int c = Long.compare(a.occurred, b.occurred);
        return c != 0 ? c : a.id.compareTo(b.id);
    };

    static final String MIN_ID = "";
    static final String MAX_ID = "\uffff";

    final long occurred;
    final String id;
    final String event;
    final Labels resource;
    final List<Labels> related;
    final String payloadJson;
    final String follows;
    final String account;
    final String workspace;
    final long received;
    final long seq;

    private StoredEvent(long occurred, String id, String event, Labels resource, List<Labels> related,
                        String payloadJson, String follows, String account, String workspace, long received, long seq) {
        this.occurred = occurred;
        this.id = id;
        this.event = event;
        this.resource = resource;
        this.related = related;
        this.payloadJson = payloadJson;
        this.follows = follows;
        this.account = account;
        this.workspace = workspace;
        this.received = received;
        this.seq = seq;
    }

    /** A key-only instance used to position within the sorted indexes. */
    static StoredEvent probe(long occurred, String id) {
        return new StoredEvent(occurred, id, null, null, null, null, null, null, null, 0, 0);
    }

    /** The copy the store keeps: insertion sequence, received time, de-duplicated labels. */
    StoredEvent stored(long seq, long receivedIfUnset, Labels canonicalResource, List<Labels> canonicalRelated) {
        long rec = received == Long.MIN_VALUE ? receivedIfUnset : received;
        return new StoredEvent(occurred, id, event, canonicalResource, canonicalRelated, payloadJson, follows,
                account, workspace, rec, seq);
    }

    public String id() {
        return id;
    }

    public Instant occurred() {
        return Timestamps.instant(occurred);
    }

    public long occurredMicros() {
        return occurred;
    }

    public String event() {
        return event;
    }

    public Labels resource() {
        return resource;
    }

    public String resourceId() {
        return resource.resourceId();
    }

    public List<Labels> related() {
        return related;
    }

    /** The payload as compact JSON text ({@code {}} when none was given). */
    public String payloadJson() {
        return payloadJson;
    }

    public JsonNode payload() {
        try {
            return Json.MAPPER.readTree(payloadJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String follows() {
        return follows;
    }

    public String account() {
        return account;
    }

    /** The workspace, or null for an account-level event. */
    public String workspace() {
        return workspace;
    }

    /** When the sandbox received the event (null before it was stored, unless set). */
    public Instant received() {
        return received == Long.MIN_VALUE ? null : Timestamps.instant(received);
    }

    /** The first related resource in the given role, or null. */
    public Labels relatedInRole(String role) {
        for (Labels r : related) {
            if (role.equals(r.role())) {
                return r;
            }
        }
        return null;
    }

    /**
     * The text Prefect's text filter searches: the event name, the values of the resource and
     * related resources, and the payload; lower-cased.
     */
    String searchableText() {
        StringBuilder sb = new StringBuilder(256);
        sb.append(event);
        appendValues(sb, resource);
        for (Labels r : related) {
            appendValues(sb, r);
        }
        sb.append(' ').append(payloadJson);
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static void appendValues(StringBuilder sb, Labels labels) {
        for (int i = 0, n = labels.size(); i < n; i++) {
            sb.append(' ').append(labels.valueAt(i));
        }
    }

    /** Writes the event as Prefect Cloud's {@code ReceivedEvent} JSON. */
    void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("occurred", Timestamps.format(occurred));
        g.writeStringField("event", event);
        g.writeFieldName("resource");
        writeLabels(g, resource);
        g.writeArrayFieldStart("related");
        for (Labels r : related) {
            writeLabels(g, r);
        }
        g.writeEndArray();
        g.writeFieldName("payload");
        g.writeRawValue(payloadJson);
        g.writeStringField("id", id);
        if (follows == null) {
            g.writeNullField("follows");
        } else {
            g.writeStringField("follows", follows);
        }
        g.writeStringField("account", account);
        if (workspace == null) {
            g.writeNullField("workspace");
        } else {
            g.writeStringField("workspace", workspace);
        }
        if (received == Long.MIN_VALUE) {
            g.writeNullField("received");
        } else {
            g.writeStringField("received", Timestamps.format(received));
        }
        g.writeEndObject();
    }

    private static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
        g.writeStartObject();
        for (int i = 0, n = labels.size(); i < n; i++) {
            g.writeStringField(labels.nameAt(i), labels.valueAt(i));
        }
        g.writeEndObject();
    }

    /** The event as {@code ReceivedEvent} JSON text. */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w)) {
            writeJson(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    @Override
    public String toString() {
        return "StoredEvent[" + Timestamps.format(occurred) + " " + event + " " + id + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds events for tests and benchmarks that fill the store directly. */
    public static final class Builder {
        private String id;
        private Long occurred;
        private String event;
        private Labels resource;
        private final List<Labels> related = new ArrayList<>();
        private String payloadJson = "{}";
        private String follows;
        private String account;
        private String workspace;
        private long received = Long.MIN_VALUE;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = Objects.requireNonNull(Uuids.canonical(id), "id must be a UUID");
            return this;
        }

        public Builder id(java.util.UUID id) {
            return id(id.toString());
        }

        public Builder occurred(Instant occurred) {
            this.occurred = Timestamps.micros(occurred);
            return this;
        }

        Builder occurredMicros(long micros) {
            this.occurred = micros;
            return this;
        }

        public Builder event(String event) {
            this.event = event;
            return this;
        }

        Builder resource(Labels resource) {
            this.resource = resource;
            return this;
        }

        public Builder resource(Map<String, String> resource) {
            this.resource = Labels.of(resource);
            return this;
        }

        public Builder resource(String... namesAndValues) {
            this.resource = Labels.of(namesAndValues);
            return this;
        }

        public Builder related(Map<String, String> related) {
            this.related.add(Labels.of(related));
            return this;
        }

        public Builder related(String... namesAndValues) {
            this.related.add(Labels.of(namesAndValues));
            return this;
        }

        public Builder relatedAll(List<? extends Map<String, String>> related) {
            for (Map<String, String> r : related) {
                this.related.add(Labels.of(r));
            }
            return this;
        }

        /** The payload as JSON object text. */
        public Builder payload(String json) {
            try {
                JsonNode node = Json.MAPPER.readTree(json);
                if (!node.isObject()) {
                    throw new IllegalArgumentException("payload must be a JSON object");
                }
                this.payloadJson = Json.MAPPER.writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("payload is not JSON", e);
            }
            return this;
        }

        public Builder payload(JsonNode node) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("payload must be a JSON object");
            }
            try {
                this.payloadJson = Json.MAPPER.writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        Builder payloadJsonTrusted(String compactJson) {
            this.payloadJson = compactJson;
            return this;
        }

        public Builder follows(String follows) {
            this.follows = follows == null ? null : Objects.requireNonNull(Uuids.canonical(follows), "follows must be a UUID");
            return this;
        }

        public Builder account(String account) {
            this.account = Objects.requireNonNull(Uuids.canonical(account), "account must be a UUID");
            return this;
        }

        /** The workspace, or null for an account-level event. */
        public Builder workspace(String workspace) {
            this.workspace = workspace == null ? null : Objects.requireNonNull(Uuids.canonical(workspace), "workspace must be a UUID");
            return this;
        }

        /** When it was received; left unset, the store sets it to its clock's now. */
        public Builder received(Instant received) {
            this.received = received == null ? Long.MIN_VALUE : Timestamps.micros(received);
            return this;
        }

        public StoredEvent build() {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(occurred, "occurred");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(account, "account");
            String rid = resource.resourceId();
            if (rid == null || rid.isEmpty()) {
                throw new IllegalArgumentException("resource needs a non-empty prefect.resource.id");
            }
            for (Labels r : related) {
                String role = r.role();
                if (role == null || role.isEmpty()) {
                    throw new IllegalArgumentException("related resources need a non-empty prefect.resource.role");
                }
                if (r.resourceId() == null || r.resourceId().isEmpty()) {
                    throw new IllegalArgumentException("related resources need a non-empty prefect.resource.id");
                }
            }
            List<Labels> rel = related.isEmpty() ? Collections.emptyList() : List.copyOf(related);
            return new StoredEvent(occurred, id, event, resource, rel, payloadJson, follows, account, workspace, received, 0);
        }
    }
}
