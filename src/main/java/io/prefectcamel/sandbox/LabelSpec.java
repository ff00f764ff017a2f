package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prefect's {@code ResourceSpecification} used as a filter: a map of label name to one value or a
 * list of values. A resource matches when it matches every label. For one label, values may end in
 * {@code *} (prefix match) and start with {@code !} (negation). The resource's value must equal or
 * start with at least one positive value (when there are any), must match none of the negated ones,
 * and must be present at all. An empty list of values matches nothing. This is how Prefect's server
 * builds the query for a label filter.
 */
final class LabelSpec {

    private final String[] names;
    private final ValueMatcher[] matchers;

    private LabelSpec(String[] names, ValueMatcher[] matchers) {
        this.names = names;
        this.matchers = matchers;
    }

    static LabelSpec of(Map<String, List<String>> spec) {
        String[] names = new String[spec.size()];
        ValueMatcher[] matchers = new ValueMatcher[spec.size()];
        int i = 0;
        for (Map.Entry<String, List<String>> e : spec.entrySet()) {
            names[i] = e.getKey();
            matchers[i] = new ValueMatcher(e.getValue());
            i++;
        }
        return new LabelSpec(names, matchers);
    }

    /** Parses a ResourceSpecification JSON object; null (with problems recorded) when invalid. */
    static LabelSpec parse(JsonNode node, List<Object> loc, Problems problems) {
        if (!node.isObject()) {
            problems.dictType(loc, node);
            return null;
        }
        int before = problems.size();
        Map<String, List<String>> spec = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            List<Object> valueLoc = Problems.child(loc, field.getKey());
            if (value.isTextual()) {
                spec.put(field.getKey(), List.of(value.asText()));
            } else if (value.isArray()) {
                List<String> values = new ArrayList<>(value.size());
                for (int j = 0; j < value.size(); j++) {
                    if (!value.get(j).isTextual()) {
                        problems.stringType(Problems.child(valueLoc, "list[str]", j), value.get(j));
                    } else {
                        values.add(value.get(j).asText());
                    }
                }
                spec.put(field.getKey(), values);
            } else {
                problems.stringType(Problems.child(valueLoc, "str"), value);
                problems.listType(Problems.child(valueLoc, "list[str]"), value);
            }
        }
        return problems.size() == before ? of(spec) : null;
    }

    boolean isEmpty() {
        return names.length == 0;
    }

    boolean matches(Labels resource) {
        for (int i = 0; i < names.length; i++) {
            if (!matchers[i].test(resource.get(names[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The matcher for one label's values. */
    static final class ValueMatcher {
        private final List<String> exact = new ArrayList<>();
        private final List<String> prefixes = new ArrayList<>();
        private final List<String> notExact = new ArrayList<>();
        private final List<String> notPrefixes = new ArrayList<>();
        private final boolean matchesNothing;

        ValueMatcher(List<String> values) {
            matchesNothing = values.isEmpty();
            for (String v : values) {
                boolean negative = v.startsWith("!");
                String value = negative ? v.substring(1) : v;
                boolean prefix = value.endsWith("*");
                if (prefix) {
                    int end = value.length();
                    while (end > 0 && value.charAt(end - 1) == '*') {
                        end--;
                    }
                    value = value.substring(0, end);
                }
                (negative ? (prefix ? notPrefixes : notExact) : (prefix ? prefixes : exact)).add(value);
            }
        }

        boolean test(String value) {
            if (matchesNothing || value == null) {
                return false;
            }
            if (!exact.isEmpty() || !prefixes.isEmpty()) {
                boolean any = exact.contains(value);
                for (int i = 0; !any && i < prefixes.size(); i++) {
                    any = value.startsWith(prefixes.get(i));
                }
                if (!any) {
                    return false;
                }
            }
            if (notExact.contains(value)) {
                return false;
            }
            for (String p : notPrefixes) {
                if (value.startsWith(p)) {
                    return false;
                }
            }
            return true;
        }
    }
}
