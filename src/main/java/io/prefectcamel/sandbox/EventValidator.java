package io.prefectcamel.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a create-events body the way Prefect's server does (pydantic models {@code Event},
 * {@code Resource}, {@code RelatedResource}) and turns it into events to store.
 */
final class EventValidator {

    static final int MAX_EVENT_NAME_LENGTH = 1024;
    static final int MAX_LABELS_PER_RESOURCE = 500;
    static final int MAX_RELATED_RESOURCES = 100;

    private EventValidator() {
    }

    /**
     * Validates the body (a JSON array of events, or null when there was no body) and returns the
     * events, or throws a 422 {@link ApiException} listing every problem.
     */
    static List<StoredEvent> validate(JsonNode body, String account, String workspace) {
        Problems problems = new Problems();
        if (body == null || body.isMissingNode()) {
            problems.missing(Problems.loc("body"), null);
            problems.throwIfAny();
        }
        if (!body.isArray()) {
            problems.listType(Problems.loc("body"), body);
            problems.throwIfAny();
        }
        List<StoredEvent> events = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            StoredEvent event = validateEvent(body.get(i), Problems.loc("body", i), account, workspace, problems);
            if (event != null) {
                events.add(event);
            }
        }
        problems.throwIfAny();
        return events;
    }

    static StoredEvent validateEvent(JsonNode item, List<Object> loc, String account, String workspace, Problems problems) {
        int before = problems.size();
        if (!item.isObject()) {
            problems.add("model_attributes_type", loc,
                    "Input should be a valid dictionary or object to extract fields from", item);
            return null;
        }
        StoredEvent.Builder b = StoredEvent.builder().account(account).workspace(workspace);

        JsonNode occurred = item.get("occurred");
        if (occurred == null) {
            problems.missing(Problems.child(loc, "occurred"), item);
        } else {
            Long micros = Timestamps.parse(occurred);
            if (micros == null) {
                problems.datetimeError(Problems.child(loc, "occurred"), occurred);
            } else {
                b.occurredMicros(micros);
            }
        }

        JsonNode name = item.get("event");
        if (name == null) {
            problems.missing(Problems.child(loc, "event"), item);
        } else if (!name.isTextual()) {
            problems.stringType(Problems.child(loc, "event"), name);
        } else if (name.asText().length() > MAX_EVENT_NAME_LENGTH) {
            problems.stringTooLong(Problems.child(loc, "event"), name, MAX_EVENT_NAME_LENGTH);
        } else {
            b.event(name.asText());
        }

        JsonNode resource = item.get("resource");
        if (resource == null) {
            problems.missing(Problems.child(loc, "resource"), item);
        } else {
            Labels labels = validateResource(resource, Problems.child(loc, "resource"), false, problems);
            if (labels != null) {
                b.resource(labels);
            }
        }

        JsonNode related = item.get("related");
        if (related != null && !related.isNull()) {
            List<Object> relatedLoc = Problems.child(loc, "related");
            if (!related.isArray()) {
                problems.listType(relatedLoc, related);
            } else {
                int relatedBefore = problems.size();
                List<Labels> list = new ArrayList<>(related.size());
                for (int j = 0; j < related.size(); j++) {
                    Labels labels = validateResource(related.get(j), Problems.child(relatedLoc, j), true, problems);
                    if (labels != null) {
                        list.add(labels);
                    }
                }
                if (problems.size() == relatedBefore && list.size() > MAX_RELATED_RESOURCES) {
                    problems.valueError(relatedLoc, "The maximum number of related resources is " + MAX_RELATED_RESOURCES, related);
                }
                b.relatedAll(list);
            }
        } else if (related != null) {
            problems.listType(Problems.child(loc, "related"), related);
        }

        JsonNode payload = item.get("payload");
        if (payload != null) {
            if (!payload.isObject()) {
                problems.dictType(Problems.child(loc, "payload"), payload);
            } else {
                try {
                    b.payloadJsonTrusted(Json.MAPPER.writeValueAsString(payload));
                } catch (JsonProcessingException e) {
                    problems.dictType(Problems.child(loc, "payload"), payload);
                }
            }
        }

        JsonNode id = item.get("id");
        if (id == null) {
            problems.missing(Problems.child(loc, "id"), item);
        } else if (!id.isTextual() || !Uuids.isUuid(id.asText())) {
            problems.uuidError(Problems.child(loc, "id"), id);
        } else {
            b.id(id.asText());
        }

        JsonNode follows = item.get("follows");
        if (follows != null && !follows.isNull()) {
            if (!follows.isTextual() || !Uuids.isUuid(follows.asText())) {
                problems.uuidError(Problems.child(loc, "follows"), follows);
            } else {
                b.follows(follows.asText());
            }
        }

        if (problems.size() != before) {
            return null;
        }
        return b.build();
    }

    /** Validates one Resource / RelatedResource object; null if it has problems (recorded). */
    static Labels validateResource(JsonNode node, List<Object> loc, boolean related, Problems problems) {
        if (!node.isObject()) {
            problems.dictType(loc, node);
            return null;
        }
        int before = problems.size();
        String[] kv = new String[node.size() * 2];
        int i = 0;
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                problems.stringType(Problems.child(loc, field.getKey()), field.getValue());
                continue;
            }
            kv[i++] = field.getKey();
            kv[i++] = field.getValue().asText();
        }
        if (problems.size() != before) {
            return null;
        }
        Labels labels = Labels.ofArray(kv);
        // model validators, in Prefect's order; the first failure is the one reported
        if (labels.size() > MAX_LABELS_PER_RESOURCE) {
            problems.valueError(loc, "The maximum number of labels per resource is " + MAX_LABELS_PER_RESOURCE, node);
            return null;
        }
        if (!labels.containsKey(Labels.RESOURCE_ID)) {
            problems.valueError(loc, "Resources must include the prefect.resource.id label", node);
            return null;
        }
        if (labels.resourceId().isEmpty()) {
            problems.valueError(loc, "The prefect.resource.id label must be non-empty", node);
            return null;
        }
        if (related) {
            if (!labels.containsKey(Labels.RESOURCE_ROLE)) {
                problems.valueError(loc, "Related Resources must include the prefect.resource.role label", node);
                return null;
            }
            if (labels.role().isEmpty()) {
                problems.valueError(loc, "The prefect.resource.role label must be non-empty", node);
                return null;
            }
        }
        return labels;
    }
}
