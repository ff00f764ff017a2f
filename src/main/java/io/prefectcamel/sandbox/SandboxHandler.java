package io.prefectcamel.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Routes and answers the sandbox's HTTP requests, Prefect Cloud style. */
final class SandboxHandler implements HttpHandler {

    static final long MAX_BODY_BYTES = 5L * 1024 * 1024;
    static final int DEFAULT_LIMIT = 200;
    private static final String JSON = "application/json";

    private enum Kind { CREATE, FILTER, NEXT, COUNT, FLOW_RUN_EVENTS, TAGS, HEALTH }

    private record Route(Kind kind, String account, String workspace, String extra, Set<String> methods) {
    }

    private final PrefectSandbox sandbox;
    private final EventStore store;
    private final PageToken.Codec tokens;
    private final AdminApi admin;
    private final AdminStore adminStore;

    SandboxHandler(PrefectSandbox sandbox, EventStore store, PageToken.Codec tokens, AdminApi admin, AdminStore adminStore) {
        this.sandbox = sandbox;
        this.store = store;
        this.tokens = tokens;
        this.admin = admin;
        this.adminStore = adminStore;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            int latency = sandbox.addedLatencyMillis();
            if (latency > 0) {
                Thread.sleep(latency);
            }
            String method = ex.getRequestMethod();
            byte[] body = null;
            if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                String length = ex.getRequestHeaders().getFirst("Content-Length");
                long n;
                try {
                    n = length == null ? -1 : Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw ApiException.detail(411, "Length Required");
                }
                if (n > MAX_BODY_BYTES) {
                    throw ApiException.detail(413, "Request Entity Too Large");
                }
                body = ex.getRequestBody().readNBytes((int) n);
            }
            String path = ex.getRequestURI().getPath();
            AdminSpec.Match adminCall = admin.match(method, path);
            Route route = adminCall != null ? null : route(path);
            if (route != null && !route.methods.contains(method)) {
                throw ApiException.detail(405, "Method Not Allowed").header("Allow", String.join(", ", route.methods));
            }
            String caller = authenticate(ex);
            double faultRate = sandbox.faultRate429();
            if (faultRate > 0 && ThreadLocalRandom.current().nextDouble() < faultRate) {
                throw ApiException.detail(429, "Rate limit exceeded")
                        .header("Retry-After", Integer.toString(sandbox.retryAfterSeconds()));
            }
            if (adminCall != null) {
                AdminApi.Answer answer = admin.handle(adminCall, caller, query(ex.getRequestURI().getRawQuery()), parseBody(body));
                send(ex, answer.status(), answer.body() == null ? null : Json.MAPPER.writeValueAsBytes(answer.body()), Map.of());
                return;
            }
            dispatch(ex, route, method, body);
        } catch (ApiException e) {
            send(ex, e.status, e.body == null ? null : Json.MAPPER.writeValueAsBytes(e.body), e.headers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, Json.MAPPER.writeValueAsBytes(Json.detail("Service Unavailable")), Map.of());
        } catch (RuntimeException e) {
            send(ex, 500, Json.MAPPER.writeValueAsBytes(Json.detail("Internal Server Error")), Map.of());
        } finally {
            ex.close();
        }
    }

    // ------------------------------------------------------------------ routing

    private static Route route(String path) {
        String[] s = path.split("/", -1);
        // "", "api", "accounts", {account}, ...
        if (s.length < 5 || !s[0].isEmpty() || !s[1].equals("api") || !s[2].equals("accounts") || s[3].isEmpty()) {
            throw notFound();
        }
        String account = s[3];
        int i = 4;
        String workspace = null;
        if (s[i].equals("workspaces")) {
            if (s.length < 7 || s[5].isEmpty()) {
                throw notFound();
            }
            workspace = s[5];
            i = 6;
        }
        int rest = s.length - i;
        if (rest >= 1 && s[i].equals("events")) {
            if (rest == 1) {
                return new Route(Kind.CREATE, account, workspace, null, Set.of("POST"));
            }
            if (rest == 2 && s[i + 1].equals("filter")) {
                return new Route(Kind.FILTER, account, workspace, null, Set.of("POST"));
            }
            if (rest == 3 && s[i + 1].equals("filter") && s[i + 2].equals("next")) {
                return new Route(Kind.NEXT, account, workspace, null, Set.of("GET"));
            }
            if (rest == 3 && s[i + 1].equals("count-by") && !s[i + 2].isEmpty()) {
                return new Route(Kind.COUNT, account, workspace, s[i + 2], Set.of("POST"));
            }
        }
        if (workspace != null) {
            if (rest == 3 && s[i].equals("flow_runs") && !s[i + 1].isEmpty() && s[i + 2].equals("events")) {
                return new Route(Kind.FLOW_RUN_EVENTS, account, workspace, s[i + 1], Set.of("GET"));
            }
            if (rest == 1 && s[i].equals("tags")) {
                return new Route(Kind.TAGS, account, workspace, null, Set.of("GET", "DELETE"));
            }
            if (rest == 1 && s[i].equals("health")) {
                return new Route(Kind.HEALTH, account, workspace, null, Set.of("GET"));
            }
        }
        throw notFound();
    }

    private static ApiException notFound() {
        return ApiException.detail(404, "Not Found");
    }

    /**
     * Checks the bearer key: the sandbox's own (when it has one), or a bot's or user's key the sandbox issued and
     * still honours. A key it refuses (a deleted bot's, a rotated-out or expired one) gets 401 even when the
     * sandbox has no key of its own. Returns the actor a sandbox-issued key belongs to, null for the sandbox's key.
     */
    private String authenticate(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Bearer ") && header.length() > 7) {
            AdminStore.KeyCheck check = adminStore.checkKey(header.substring(7));
            if (check.state() == AdminStore.KeyState.VALID) {
                return check.actorId();
            }
            if (check.state() == AdminStore.KeyState.REFUSED) {
                throw unauthorized();
            }
        }
        String key = sandbox.apiKey();
        if (key == null) {
            return null;
        }
        byte[] expected = ("Bearer " + key).getBytes(StandardCharsets.UTF_8);
        byte[] actual = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw unauthorized();
        }
        return null;
    }

    private static ApiException unauthorized() {
        return ApiException.detail(401, "Invalid authentication credentials").header("WWW-Authenticate", "Bearer");
    }

    private void dispatch(HttpExchange ex, Route route, String method, byte[] body) throws IOException {
        Problems problems = new Problems();
        String account = pathUuid(route.account, "account_id", problems);
        String workspace = route.workspace == null ? null : pathUuid(route.workspace, "workspace_id", problems);
        EventCounter.Countable countable = null;
        String flowRunId = null;
        if (route.kind == Kind.COUNT) {
            countable = EventCounter.countable(route.extra);
            if (countable == null) {
                problems.enumError(Problems.loc("path", "countable"), Json.NODES.textNode(route.extra), EventCounter.expectedCountables());
            }
        } else if (route.kind == Kind.FLOW_RUN_EVENTS) {
            flowRunId = pathUuid(route.extra, "flow_run_id", problems);
        }
        problems.throwIfAny();
        if (route.kind != Kind.HEALTH) {
            adminStore.checkEventScope(account, workspace);
        }
        Scope scope = new Scope(account, workspace);
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        switch (route.kind) {
            case CREATE -> createEvents(ex, scope, body);
            case FILTER -> readEvents(ex, scope, body);
            case NEXT -> readNextPage(ex, scope, query);
            case COUNT -> countEvents(ex, scope, countable, body);
            case FLOW_RUN_EVENTS -> flowRunEvents(ex, scope, flowRunId, query);
            case TAGS -> {
                if (method.equals("DELETE")) {
                    deleteTag(ex, scope, query);
                } else {
                    listTags(ex, scope, query);
                }
            }
            case HEALTH -> send(ex, 200, "true".getBytes(StandardCharsets.UTF_8), Map.of());
            default -> throw notFound();
        }
    }

    private static String pathUuid(String raw, String name, Problems problems) {
        String canonical = Uuids.canonical(raw);
        if (canonical == null) {
            problems.uuidError(Problems.loc("path", name), Json.NODES.textNode(raw));
        }
        return canonical;
    }

    // ------------------------------------------------------------------ events

    private void createEvents(HttpExchange ex, Scope scope, byte[] body) throws IOException {
        JsonNode json = parseBody(body);
        List<StoredEvent> events = EventValidator.validate(json, scope.account(), scope.workspace());
        store.addAll(events);
        send(ex, 204, null, Map.of());
    }

    private void readEvents(HttpExchange ex, Scope scope, byte[] body) throws IOException {
        JsonNode json = bodyObject(parseBody(body));
        Problems problems = new Problems();
        JsonNode limitNode = json.get("limit");
        Long limit = Params.intField(limitNode, Problems.loc("body", "limit"), problems, 0, 200, false);
        long now = store.nowMicros();
        EventFilter filter = EventFilter.parse(json.get("filter"), Problems.loc("body", "filter"), problems, now, true);
        problems.throwIfAny();
        int pageSize = limit == null ? 50 : limit.intValue();
        long wm = store.watermark();
        long total = store.count(scope, filter, wm);
        EventStore.Page page = store.page(scope, filter, pageSize, null, wm);
        String next = nextPage(ex, scope, filter, pageSize, total, wm, page);
        sendPage(ex, page.events(), total, next);
    }

    private void readNextPage(HttpExchange ex, Scope scope, Map<String, String> query) throws IOException {
        String raw = query.get("page-token");
        if (raw == null) {
            Problems problems = new Problems();
            problems.missing(Problems.loc("query", "page-token"), null);
            problems.throwIfAny();
        }
        PageToken token = tokens.decode(raw);
        if (!scope.account().equals(token.account()) || !java.util.Objects.equals(scope.workspace(), token.workspace())) {
            throw PageToken.Codec.forbidden();
        }
        Problems problems = new Problems();
        EventFilter filter = EventFilter.parse(token.filter(), Problems.loc("token"), problems, store.nowMicros(), false);
        if (!problems.isEmpty()) {
            throw PageToken.Codec.forbidden();
        }
        StoredEvent cursor = StoredEvent.probe(token.cursorOccurred(), token.cursorId());
        EventStore.Page page = store.page(scope, filter, token.limit(), cursor, token.watermark());
        String next = nextPage(ex, scope, filter, token.limit(), token.total(), token.watermark(), page);
        sendPage(ex, page.events(), token.total(), next);
    }

    private String nextPage(HttpExchange ex, Scope scope, EventFilter filter, int limit, long total, long wm, EventStore.Page page) {
        if (!page.hasMore() || page.events().isEmpty()) {
            return null;
        }
        StoredEvent last = page.events().get(page.events().size() - 1);
        String token = tokens.encode(new PageToken(scope.account(), scope.workspace(), filter.normalized, limit, total, wm,
                last.occurred, last.id));
        return baseUrl(ex) + scope.path() + "/events/filter/next?page-token=" + token;
    }

    private String baseUrl(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        return host == null || host.isBlank() ? sandbox.baseUrl() : "http://" + host.trim();
    }

    private void sendPage(HttpExchange ex, List<StoredEvent> events, long total, String next) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + events.size() * 1024);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (StoredEvent e : events) {
                e.writeJson(g);
            }
            g.writeEndArray();
            g.writeNumberField("total", total);
            if (next == null) {
                g.writeNullField("next_page");
            } else {
                g.writeStringField("next_page", next);
            }
            g.writeEndObject();
        }
        send(ex, 200, out.toByteArray(), Map.of());
    }

    private void countEvents(HttpExchange ex, Scope scope, EventCounter.Countable countable, byte[] body) throws IOException {
        JsonNode json = bodyObject(parseBody(body));
        Problems problems = new Problems();
        EventCounter.TimeUnit unit = EventCounter.TimeUnit.day;
        JsonNode unitNode = json.get("time_unit");
        if (unitNode != null) {
            unit = unitNode.isTextual() ? EventCounter.unit(unitNode.asText()) : null;
            if (unit == null) {
                problems.enumError(Problems.loc("body", "time_unit"), unitNode, EventCounter.expectedUnits());
            }
        }
        double interval = 1.0;
        JsonNode intervalNode = json.get("time_interval");
        if (intervalNode != null) {
            Double v = number(intervalNode);
            if (v == null) {
                problems.add("float_parsing", Problems.loc("body", "time_interval"), "Input should be a valid number", intervalNode);
            } else if (v < 0.01) {
                problems.greaterThanEqual(Problems.loc("body", "time_interval"), intervalNode, 0.01);
            } else {
                interval = v;
            }
        }
        long now = store.nowMicros();
        EventFilter filter = EventFilter.parse(json.get("filter"), Problems.loc("body", "filter"), problems, now, true);
        problems.throwIfAny();
        List<EventCounter.Count> counts = EventCounter.count(store, scope, filter, countable, unit, interval, now);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + counts.size() * 160);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (EventCounter.Count c : counts) {
                g.writeStartObject();
                g.writeStringField("value", c.value());
                g.writeStringField("label", c.label());
                g.writeNumberField("count", c.count());
                g.writeStringField("start_time", Timestamps.format(c.startTime()));
                g.writeStringField("end_time", Timestamps.format(c.endTime()));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        send(ex, 200, out.toByteArray(), Map.of());
    }

    private static Double number(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void flowRunEvents(HttpExchange ex, Scope scope, String flowRunId, Map<String, String> query) throws IOException {
        Problems problems = new Problems();
        Long offset = Params.intQuery(query.get("offset"), Problems.loc("query", "offset"), problems, 0, 5000);
        String orderText = query.get("order");
        boolean desc = true;
        if (orderText != null) {
            if (orderText.equals("ASC")) {
                desc = false;
            } else if (!orderText.equals("DESC")) {
                problems.enumError(Problems.loc("query", "order"), Json.NODES.textNode(orderText), "'ASC' or 'DESC'");
            }
        }
        boolean withTaskRuns = true;
        String withText = query.get("with_task_runs");
        if (withText != null) {
            Boolean b = Params.bool(withText);
            if (b == null) {
                problems.add("bool_parsing", Problems.loc("query", "with_task_runs"),
                        "Input should be a valid boolean, unable to interpret input", Json.NODES.textNode(withText));
            } else {
                withTaskRuns = b;
            }
        }
        Long limit = Params.intQuery(query.get("limit"), Problems.loc("query", "limit"), problems, 0, -1);
        problems.throwIfAny();
        List<StoredEvent> events = store.flowRunEvents(scope, flowRunId, withTaskRuns, desc);
        String count = Integer.toString(events.size());
        Map<String, String> headers = Map.of("ETag", "\"" + count + "\"");
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        if (ifNoneMatch != null) {
            String tag = ifNoneMatch.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equals(count)) {
                send(ex, 304, null, headers);
                return;
            }
        }
        int from = Math.min(events.size(), offset == null ? 0 : offset.intValue());
        long size = limit == null ? DEFAULT_LIMIT : limit;
        int to = (int) Math.min(events.size(), from + size);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (to - from) * 1024);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (StoredEvent e : events.subList(from, to)) {
                e.writeJson(g);
            }
            g.writeEndArray();
        }
        send(ex, 200, out.toByteArray(), headers);
    }

    // ------------------------------------------------------------------ tags

    private void listTags(HttpExchange ex, Scope scope, Map<String, String> query) throws IOException {
        Problems problems = new Problems();
        String search = query.get("search");
        Long page = Params.intQuery(query.get("page"), Problems.loc("query", "page"), problems, 1, -1);
        Long limit = Params.intQuery(query.get("limit"), Problems.loc("query", "limit"), problems, 1, -1);
        String sort = query.getOrDefault("sort", "LAST_SEEN_DESC");
        if (!Set.of("NAME_ASC", "NAME_DESC", "LAST_SEEN_ASC", "LAST_SEEN_DESC").contains(sort)) {
            problems.enumError(Problems.loc("query", "sort"), Json.NODES.textNode(sort),
                    "'NAME_ASC', 'NAME_DESC', 'LAST_SEEN_ASC' or 'LAST_SEEN_DESC'");
        }
        problems.throwIfAny();
        int p = page == null ? 1 : (int) Math.min(Integer.MAX_VALUE, page);
        int l = limit == null ? DEFAULT_LIMIT : (int) Math.min(Integer.MAX_VALUE, limit);
        List<EventStore.Tag> tags = new java.util.ArrayList<>(store.tags(scope.account(), scope.workspace()));
        if (search != null && !search.isEmpty()) {
            String needle = search.toLowerCase(java.util.Locale.ROOT);
            tags.removeIf(t -> !t.name().toLowerCase(java.util.Locale.ROOT).contains(needle));
        }
        java.util.Comparator<EventStore.Tag> byName = java.util.Comparator.comparing(EventStore.Tag::name);
        java.util.Comparator<EventStore.Tag> order = switch (sort) {
            case "NAME_ASC" -> byName;
            case "NAME_DESC" -> byName.reversed();
            case "LAST_SEEN_ASC" -> java.util.Comparator.comparing(EventStore.Tag::lastSeen).thenComparing(byName);
            default -> java.util.Comparator.comparing(EventStore.Tag::lastSeen).reversed().thenComparing(byName);
        };
        tags.sort(order);
        int count = tags.size();
        int pages = (count + l - 1) / l;
        long fromLong = (long) (p - 1) * l;
        int from = (int) Math.min(count, fromLong);
        int to = (int) Math.min(count, fromLong + l);
        ObjectNode response = Json.object();
        var results = response.putArray("results");
        for (EventStore.Tag t : tags.subList(from, to)) {
            ObjectNode tag = results.addObject();
            tag.put("name", t.name());
            tag.put("first_seen", Timestamps.format(Timestamps.micros(t.firstSeen())));
            tag.put("last_seen", Timestamps.format(Timestamps.micros(t.lastSeen())));
        }
        response.put("count", count);
        response.put("limit", l);
        response.put("pages", pages);
        response.put("page", p);
        send(ex, 200, Json.MAPPER.writeValueAsBytes(response), Map.of());
    }

    private void deleteTag(HttpExchange ex, Scope scope, Map<String, String> query) throws IOException {
        String tag = query.get("tag");
        Problems problems = new Problems();
        if (tag == null) {
            problems.missing(Problems.loc("query", "tag"), null);
        } else if (tag.isEmpty()) {
            problems.stringTooShort(Problems.loc("query", "tag"), Json.NODES.textNode(tag), 1);
        }
        problems.throwIfAny();
        store.deleteTag(scope.account(), scope.workspace(), tag);
        send(ex, 204, null, Map.of());
    }

    // ------------------------------------------------------------------ plumbing

    /** The JSON body, or null when there is none; invalid JSON is FastAPI's 422 json_invalid. */
    static JsonNode parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            long offset = location == null ? 0 : Math.max(0, Math.max(location.getCharOffset(), location.getByteOffset()));
            String reason = e.getOriginalMessage() == null ? "Invalid JSON" : e.getOriginalMessage();
            int cut = reason.indexOf(" (start marker");
            if (cut < 0) {
                cut = reason.indexOf('\n');
            }
            if (cut > 0) {
                reason = reason.substring(0, cut);
            }
            Problems problems = new Problems();
            ObjectNode error = problems.add("json_invalid", Problems.loc("body", offset), "JSON decode error", Json.object());
            error.putObject("ctx").put("error", reason);
            throw ApiException.validation(problems.errors());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An embedded-parameters body: an object, or empty for all defaults. */
    private static JsonNode bodyObject(JsonNode json) {
        if (json == null || json.isNull()) {
            return Json.object();
        }
        if (!json.isObject()) {
            Problems problems = new Problems();
            problems.add("model_attributes_type", Problems.loc("body"),
                    "Input should be a valid dictionary or object to extract fields from", json);
            problems.throwIfAny();
        }
        return json;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                params.put(name, value);
            }
        }
        return params;
    }

    private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            ex.getResponseHeaders().set(h.getKey(), h.getValue());
        }
        if (status == 204 || status == 304 || body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", JSON);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }
}
