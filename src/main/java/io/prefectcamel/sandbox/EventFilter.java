package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prefect's {@code EventFilter}, parsed and validated, with the matching rules of Prefect's server.
 * All sub-filters are ANDed. An absent or empty list means "no constraint".
 */
final class EventFilter {

    enum Order { ASC, DESC }

    /** Prefect's default lower bound: the start of today (UTC) less 180 days. */
    static final Duration DEFAULT_LOOKBACK = Duration.ofDays(180);
    /** Prefect Cloud answers at most a 14-day window: {@code since} is clamped to now less this. */
    static final Duration MAX_WINDOW = Duration.ofDays(14);

    private static final long DAY_MICROS = 86_400L * Timestamps.MICROS_PER_SECOND;

    private static final Set<String> FILTER_FIELDS = Set.of("occurred", "event", "resource", "related",
            "any_resource", "scope", "id", "text", "order", "limit", "offset");

    final long since;
    final long until;
    // event names
    List<String> namePrefix;
    List<String> nameExcludePrefix;
    Set<String> names;
    Set<String> excludeNames;
    // primary resource
    List<String> resourceIds;
    List<String> resourceIdPrefixes;
    LabelSpec resourceLabels;
    boolean distinct;
    // related and any resource
    final List<RelatedCriteria> related = new ArrayList<>();
    final List<AnyResourceCriteria> anyResource = new ArrayList<>();
    // ids, text, scope
    Set<String> ids;
    TextQuery text;
    String scopeAccount;
    Set<String> scopeWorkspaces;
    Order order = Order.DESC;
    /** The filter as JSON with the resolved occurred window (what a page token carries). */
    final ObjectNode normalized;

    private EventFilter(long since, long until, ObjectNode normalized) {
        this.since = since;
        this.until = until;
        this.normalized = normalized;
    }

    /** The filter Prefect uses when none is given, at the given time. */
    static EventFilter defaults(long nowMicros) {
        return parse(null, Problems.loc("body", "filter"), new Problems(), nowMicros, true);
    }

    /**
     * Parses an EventFilter JSON object (null or JSON null for none). Problems are recorded with
     * locations under {@code loc}; the result is then meaningless. With {@code clamp}, defaults are
     * applied relative to {@code nowMicros} and {@code since} is clamped to Cloud's 14-day window
     * (done for a first query; a page token carries the resolved window and is parsed without it).
     */
    static EventFilter parse(JsonNode node, List<Object> loc, Problems problems, long nowMicros, boolean clamp) {
        ObjectNode source = node == null || node.isNull() || node.isMissingNode() ? Json.object()
                : node.isObject() ? ((ObjectNode) node).deepCopy() : null;
        if (source == null) {
            problems.add("model_attributes_type", loc,
                    "Input should be a valid dictionary or object to extract fields from", node);
            return new EventFilter(0, -1, Json.object());
        }
        for (Iterator<String> it = source.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FILTER_FIELDS.contains(field)) {
                problems.extraForbidden(Problems.child(loc, field), source.get(field));
            }
        }

        // occurred
        long defaultSince = Math.floorDiv(nowMicros, DAY_MICROS) * DAY_MICROS - DEFAULT_LOOKBACK.toSeconds() * Timestamps.MICROS_PER_SECOND;
        long since = defaultSince;
        long until = nowMicros;
        JsonNode occurred = source.get("occurred");
        if (occurred != null) {
            List<Object> occLoc = Problems.child(loc, "occurred");
            if (!occurred.isObject()) {
                modelType(problems, occLoc, occurred, "EventOccurredFilter");
            } else {
                forbidExtra(occurred, occLoc, problems, "since", "until");
                Long s = datetime(occurred.get("since"), Problems.child(occLoc, "since"), problems);
                Long u = datetime(occurred.get("until"), Problems.child(occLoc, "until"), problems);
                if (s != null) {
                    since = s;
                }
                if (u != null) {
                    until = u;
                }
            }
        }
        if (clamp) {
            since = Math.max(since, nowMicros - MAX_WINDOW.toSeconds() * Timestamps.MICROS_PER_SECOND);
        }
        ObjectNode window = Json.object();
        window.put("since", Timestamps.format(since));
        window.put("until", Timestamps.format(until));
        source.set("occurred", window);

        EventFilter f = new EventFilter(since, until, source);

        JsonNode event = source.get("event");
        if (event != null && !event.isNull()) {
            List<Object> eLoc = Problems.child(loc, "event");
            if (!event.isObject()) {
                modelType(problems, eLoc, event, "EventNameFilter");
            } else {
                forbidExtra(event, eLoc, problems, "prefix", "exclude_prefix", "name", "exclude_name");
                f.namePrefix = strings(event.get("prefix"), Problems.child(eLoc, "prefix"), problems);
                f.nameExcludePrefix = strings(event.get("exclude_prefix"), Problems.child(eLoc, "exclude_prefix"), problems);
                List<String> n = strings(event.get("name"), Problems.child(eLoc, "name"), problems);
                f.names = n == null ? null : new HashSet<>(n);
                List<String> xn = strings(event.get("exclude_name"), Problems.child(eLoc, "exclude_name"), problems);
                f.excludeNames = xn == null ? null : new HashSet<>(xn);
            }
        }

        JsonNode resource = source.get("resource");
        if (resource != null && !resource.isNull()) {
            List<Object> rLoc = Problems.child(loc, "resource");
            if (!resource.isObject()) {
                modelType(problems, rLoc, resource, "EventResourceFilter");
            } else {
                forbidExtra(resource, rLoc, problems, "id", "id_prefix", "labels", "distinct");
                f.resourceIds = strings(resource.get("id"), Problems.child(rLoc, "id"), problems);
                f.resourceIdPrefixes = strings(resource.get("id_prefix"), Problems.child(rLoc, "id_prefix"), problems);
                f.resourceLabels = labels(resource.get("labels"), Problems.child(rLoc, "labels"), problems);
                JsonNode distinct = resource.get("distinct");
                if (distinct != null) {
                    Boolean d = Params.bool(distinct);
                    if (d == null) {
                        problems.add("bool_type", Problems.child(rLoc, "distinct"), "Input should be a valid boolean", distinct);
                    } else {
                        f.distinct = d;
                    }
                }
            }
        }

        oneOrMany(source.get("related"), Problems.child(loc, "related"), "list[EventRelatedFilter]", problems,
                RelatedCriteria::parse, f.related);
        oneOrMany(source.get("any_resource"), Problems.child(loc, "any_resource"), "list[EventAnyResourceFilter]",
                problems, AnyResourceCriteria::parse, f.anyResource);

        JsonNode id = source.get("id");
        if (id != null) {
            List<Object> iLoc = Problems.child(loc, "id");
            if (!id.isObject()) {
                modelType(problems, iLoc, id, "EventIDFilter");
            } else {
                forbidExtra(id, iLoc, problems, "id");
                JsonNode list = id.get("id");
                if (list != null && !list.isNull()) {
                    Set<String> set = uuidSet(list, Problems.child(iLoc, "id"), problems);
                    if (set != null) {
                        f.ids = set.isEmpty() ? null : set;
                    }
                }
            }
        }

        JsonNode text = source.get("text");
        if (text != null && !text.isNull()) {
            List<Object> tLoc = Problems.child(loc, "text");
            if (!text.isObject()) {
                modelType(problems, tLoc, text, "EventTextFilter");
            } else {
                forbidExtra(text, tLoc, problems, "query");
                JsonNode query = text.get("query");
                if (query == null) {
                    problems.missing(Problems.child(tLoc, "query"), text);
                } else if (!query.isTextual()) {
                    problems.stringType(Problems.child(tLoc, "query"), query);
                } else if (query.asText().length() > 200) {
                    problems.stringTooLong(Problems.child(tLoc, "query"), query, 200);
                } else {
                    TextQuery q = TextQuery.parse(query.asText());
                    f.text = q.isEmpty() ? null : q;
                }
            }
        }

        JsonNode scope = source.get("scope");
        if (scope != null) {
            List<Object> sLoc = Problems.child(loc, "scope");
            if (!scope.isObject()) {
                modelType(problems, sLoc, scope, "EventScopeFilter");
            } else {
                forbidExtra(scope, sLoc, problems, "account", "workspace");
                JsonNode account = scope.get("account");
                if (account != null && !account.isNull()) {
                    String a = account.isTextual() ? Uuids.canonical(account.asText()) : null;
                    if (a == null) {
                        problems.uuidError(Problems.child(sLoc, "account"), account);
                    }
                    f.scopeAccount = a;
                }
                JsonNode workspaces = scope.get("workspace");
                if (workspaces != null && !workspaces.isNull()) {
                    Set<String> set = uuidSet(workspaces, Problems.child(sLoc, "workspace"), problems);
                    if (set != null) {
                        f.scopeWorkspaces = set;
                    }
                }
            }
        }

        JsonNode order = source.get("order");
        if (order != null) {
            if ("ASC".equals(order.asText(null)) && order.isTextual()) {
                f.order = Order.ASC;
            } else if ("DESC".equals(order.asText(null)) && order.isTextual()) {
                f.order = Order.DESC;
            } else {
                problems.enumError(Problems.child(loc, "order"), order, "'ASC' or 'DESC'");
            }
        }

        // Cloud's EventFilter also declares limit (0..200) and offset (0..5000); validated, not applied
        Params.intField(source.get("limit"), Problems.child(loc, "limit"), problems, 0, 200, true);
        Params.intField(source.get("offset"), Problems.child(loc, "offset"), problems, 0, 5000, true);
        return f;
    }

    /** Everything but the occurred window. */
    boolean matchesCriteria(StoredEvent e) {
        String name = e.event;
        if (namePrefix != null && !namePrefix.isEmpty() && !startsWithAny(name, namePrefix)) {
            return false;
        }
        if (nameExcludePrefix != null && !nameExcludePrefix.isEmpty() && startsWithAny(name, nameExcludePrefix)) {
            return false;
        }
        if (names != null && !names.isEmpty() && !names.contains(name)) {
            return false;
        }
        if (excludeNames != null && !excludeNames.isEmpty() && excludeNames.contains(name)) {
            return false;
        }
        if (ids != null && !ids.contains(e.id)) {
            return false;
        }
        if (scopeAccount != null && !scopeAccount.equals(e.account)) {
            return false;
        }
        if (scopeWorkspaces != null && !scopeWorkspaces.isEmpty() && (e.workspace == null || !scopeWorkspaces.contains(e.workspace))) {
            return false;
        }
        String rid = e.resource.resourceId();
        if (resourceIds != null && !resourceIds.isEmpty() && !resourceIds.contains(rid)) {
            return false;
        }
        if (resourceIdPrefixes != null && !resourceIdPrefixes.isEmpty() && !startsWithAny(rid, resourceIdPrefixes)) {
            return false;
        }
        if (resourceLabels != null && !resourceLabels.isEmpty() && !resourceLabels.matches(e.resource)) {
            return false;
        }
        for (RelatedCriteria c : related) {
            if (!c.matches(e)) {
                return false;
            }
        }
        for (AnyResourceCriteria c : anyResource) {
            if (!c.matches(e)) {
                return false;
            }
        }
        if (text != null && !text.matches(e.searchableText())) {
            return false;
        }
        return true;
    }

    boolean inWindow(StoredEvent e) {
        return e.occurred >= since && e.occurred <= until;
    }

    boolean matches(StoredEvent e) {
        return inWindow(e) && matchesCriteria(e);
    }

    private static boolean startsWithAny(String value, List<String> prefixes) {
        for (String p : prefixes) {
            if (value.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    // ---- sub-filters ----

    /** One {@code EventRelatedFilter}: some related resource must satisfy all of its criteria. */
    /** A list of UUIDs as a set of canonical ids; null (and a problem) when it is not a list. */
    private static Set<String> uuidSet(JsonNode list, List<Object> loc, Problems problems) {
        if (!list.isArray()) {
            problems.listType(loc, list);
            return null;
        }
        Set<String> set = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            String canonical = v.isTextual() ? Uuids.canonical(v.asText()) : null;
            if (canonical == null) {
                problems.uuidError(Problems.child(loc, i), v);
            } else {
                set.add(canonical);
            }
        }
        return set;
    }

    /** A criteria parser as Prefect's union of one filter or a list of them. */
    private interface CriteriaParser<T> {
        T parse(JsonNode node, List<Object> loc, Problems problems);
    }

    /** Parses a field that holds one filter object or a list of them (null or missing: none). */
    private static <T> void oneOrMany(JsonNode node, List<Object> loc, String listLabel, Problems problems,
                                      CriteriaParser<T> parser, List<T> into) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                T c = parser.parse(node.get(i), Problems.child(loc, listLabel, i), problems);
                if (c != null) {
                    into.add(c);
                }
            }
        } else {
            T c = parser.parse(node, loc, problems);
            if (c != null) {
                into.add(c);
            }
        }
    }

    static final class RelatedCriteria {
        List<String> ids;
        List<String> roles;
        List<String[]> resourcesInRoles;
        LabelSpec labels;

        static RelatedCriteria parse(JsonNode node, List<Object> loc, Problems problems) {
            if (!node.isObject()) {
                modelType(problems, loc, node, "EventRelatedFilter");
                return null;
            }
            forbidExtra(node, loc, problems, "id", "role", "resources_in_roles", "labels");
            RelatedCriteria c = new RelatedCriteria();
            c.ids = strings(node.get("id"), Problems.child(loc, "id"), problems);
            c.roles = strings(node.get("role"), Problems.child(loc, "role"), problems);
            c.labels = labels(node.get("labels"), Problems.child(loc, "labels"), problems);
            JsonNode rir = node.get("resources_in_roles");
            if (rir != null && !rir.isNull()) {
                List<Object> rLoc = Problems.child(loc, "resources_in_roles");
                if (!rir.isArray()) {
                    problems.listType(rLoc, rir);
                } else {
                    c.resourcesInRoles = new ArrayList<>();
                    for (int i = 0; i < rir.size(); i++) {
                        JsonNode pair = rir.get(i);
                        if (!pair.isArray()) {
                            problems.add("tuple_type", Problems.child(rLoc, i), "Input should be a valid tuple", pair);
                        } else if (pair.size() != 2) {
                            problems.add(pair.size() < 2 ? "missing" : "too_long", Problems.child(rLoc, i),
                                    pair.size() < 2 ? "Field required" : "Tuple should have at most 2 items after validation, not " + pair.size(), pair);
                        } else if (!pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                            problems.stringType(Problems.child(rLoc, i, pair.get(0).isTextual() ? 1 : 0),
                                    pair.get(0).isTextual() ? pair.get(1) : pair.get(0));
                        } else {
                            c.resourcesInRoles.add(new String[] {pair.get(0).asText(), pair.get(1).asText()});
                        }
                    }
                }
            }
            return c;
        }

        private boolean constrains() {
            return (ids != null && !ids.isEmpty()) || (roles != null && !roles.isEmpty())
                    || (resourcesInRoles != null && !resourcesInRoles.isEmpty()) || (labels != null && !labels.isEmpty());
        }

        boolean matches(StoredEvent e) {
            if (!constrains()) {
                return true;
            }
            for (Labels r : e.related) {
                if (matchesResource(r)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesResource(Labels r) {
            String rid = r.resourceId();
            String role = r.role();
            if (ids != null && !ids.isEmpty() && !ids.contains(rid)) {
                return false;
            }
            if (roles != null && !roles.isEmpty() && !roles.contains(role)) {
                return false;
            }
            if (resourcesInRoles != null && !resourcesInRoles.isEmpty()) {
                boolean any = false;
                for (String[] pair : resourcesInRoles) {
                    if (pair[0].equals(rid) && pair[1].equals(role)) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            }
            return labels == null || labels.isEmpty() || labels.matches(r);
        }
    }

    /** One {@code EventAnyResourceFilter}: the resource or some related resource must satisfy it. */
    static final class AnyResourceCriteria {
        List<String> ids;
        List<String> idPrefixes;
        LabelSpec labels;

        static AnyResourceCriteria parse(JsonNode node, List<Object> loc, Problems problems) {
            if (!node.isObject()) {
                modelType(problems, loc, node, "EventAnyResourceFilter");
                return null;
            }
            forbidExtra(node, loc, problems, "id", "id_prefix", "labels");
            AnyResourceCriteria c = new AnyResourceCriteria();
            c.ids = strings(node.get("id"), Problems.child(loc, "id"), problems);
            c.idPrefixes = strings(node.get("id_prefix"), Problems.child(loc, "id_prefix"), problems);
            c.labels = labels(node.get("labels"), Problems.child(loc, "labels"), problems);
            return c;
        }

        boolean matches(StoredEvent e) {
            if (matchesResource(e.resource)) {
                return true;
            }
            for (Labels r : e.related) {
                if (matchesResource(r)) {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesResource(Labels r) {
            String rid = r.resourceId();
            if (ids != null && !ids.isEmpty() && !ids.contains(rid)) {
                return false;
            }
            if (idPrefixes != null && !idPrefixes.isEmpty() && !startsWithAny(rid, idPrefixes)) {
                return false;
            }
            return labels == null || labels.isEmpty() || labels.matches(r);
        }
    }

    // ---- parsing helpers ----

    static void modelType(Problems problems, List<Object> loc, JsonNode input, String model) {
        problems.add("model_type", loc, "Input should be a valid dictionary or instance of " + model, input);
    }

    static void forbidExtra(JsonNode node, List<Object> loc, Problems problems, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!ok.contains(field.getKey())) {
                problems.extraForbidden(Problems.child(loc, field.getKey()), field.getValue());
            }
        }
    }

    /** An optional list of strings; null when absent or JSON null. */
    static List<String> strings(JsonNode node, List<Object> loc, Problems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            problems.listType(loc, node);
            return null;
        }
        List<String> list = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!v.isTextual()) {
                problems.stringType(Problems.child(loc, i), v);
            } else {
                list.add(v.asText());
            }
        }
        return list;
    }

    static LabelSpec labels(JsonNode node, List<Object> loc, Problems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        return LabelSpec.parse(node, loc, problems);
    }

    static Long datetime(JsonNode node, List<Object> loc, Problems problems) {
        if (node == null) {
            return null;
        }
        Long micros = Timestamps.parse(node);
        if (micros == null) {
            problems.datetimeError(loc, node);
        }
        return micros;
    }
}
