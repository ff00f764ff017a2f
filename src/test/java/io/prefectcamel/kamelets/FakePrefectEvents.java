package io.prefectcamel.kamelets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Prefect's events API as far as the Kamelets use it, served by WireMock from an in-memory list: the filter query
 * (occurred since, event name prefixes, order ASC), pages of {@code limit} events with opaque {@code next_page}
 * links that run the query again at an offset over the live list (so events created while a reader pages show up
 * in later pages, or shift the offset when they sort earlier), event creation (kept once per id, as Prefect does),
 * and 429 or 5xx answers and slow answers on demand.
 */
final class FakePrefectEvents implements ResponseDefinitionTransformerV2, AutoCloseable {

    static final String ACCOUNT = "9b2a4f7e-3c1d-4e8f-a6b5-0d9c8e7f6a5b";
    static final String WORKSPACE = "4e5f6a7b-8c9d-4a0b-9c1d-2e3f4a5b6c7d";
    static final String API_KEY = "pnu_fake0123456789";
    static final DateTimeFormatter PREFECT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private final Map<String, Query> pageTokens = new ConcurrentHashMap<>();
    private final List<List<JsonNode>> created = new CopyOnWriteArrayList<>();
    private final List<List<JsonNode>> createAttempts = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
    private final AtomicInteger createFailuresLeft = new AtomicInteger();
    private volatile int createFailureStatus = 503;
    private volatile int createDelayMillis;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger filterQueries = new AtomicInteger();
    private final AtomicInteger pagesServed = new AtomicInteger();
    private final AtomicInteger accountLevelCalls = new AtomicInteger();
    private final Map<Integer, String> throttled = new ConcurrentHashMap<>();
    private volatile IntConsumer onPage = n -> { };
    private final WireMockServer server;

    FakePrefectEvents() {
        server = new WireMockServer(options().dynamicPort().extensions(this));
        server.start();
        server.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(getName())));
    }

    String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public String getName() {
        return "fake-prefect-events";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** Adds {@code count} events, {@code perTimestamp} of them sharing each occurred time, from {@code first} on. */
    List<Map<String, Object>> addEvents(int count, Instant first, int perTimestamp, String name) {
        List<Map<String, Object>> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant occurred = first.plusMillis(1000L * (i / perTimestamp));
            added.add(event(UUID.randomUUID().toString(), occurred, name));
        }
        events.addAll(added);
        return added;
    }

    Map<String, Object> event(String id, Instant occurred, String name) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("occurred", PREFECT_TIME.format(occurred.atOffset(ZoneOffset.UTC)));
        event.put("event", name);
        event.put("resource", Map.of("prefect.resource.id", "prefect.flow-run." + id));
        event.put("related", List.of());
        event.put("payload", Map.of());
        event.put("id", id);
        event.put("follows", null);
        event.put("account", ACCOUNT);
        event.put("workspace", WORKSPACE);
        event.put("received", PREFECT_TIME.format(OffsetDateTime.now(ZoneOffset.UTC)));
        return event;
    }

    void add(Map<String, Object> event) {
        events.add(event);
    }

    int size() {
        return events.size();
    }

    /** Runs {@code hook} with the page number (1 = the first page) before each page is served. */
    void onPage(IntConsumer hook) {
        this.onPage = hook;
    }

    /** Answers the {@code n}th request (counting from 1, every request) with 429 and this Retry-After. */
    void throttle(int n, String retryAfter) {
        throttled.put(n, retryAfter);
    }

    int requests() {
        return requests.get();
    }

    int filterQueries() {
        return filterQueries.get();
    }

    int accountLevelCalls() {
        return accountLevelCalls.get();
    }

    int pagesServed() {
        return pagesServed.get();
    }

    /** Answers the next {@code times} create calls with {@code status} (after reading them). */
    void failCreates(int times, int status) {
        createFailureStatus = status;
        createFailuresLeft.set(times);
    }

    /** Answers each create call (accepted or not) {@code millis} ms late. */
    void delayCreates(int millis) {
        createDelayMillis = millis;
    }

    /** The bodies of every create call received, accepted or not, each the list of its events. */
    List<List<JsonNode>> createAttempts() {
        return createAttempts;
    }

    /** The events stored, one per id, as Prefect keeps them. */
    Map<String, JsonNode> stored() {
        return stored;
    }

    /** The bodies of the create calls Prefect accepted, each the list of its events. */
    List<List<JsonNode>> created() {
        return created;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        int n = requests.incrementAndGet();
        if (!("Bearer " + API_KEY).equals(request.getHeader("Authorization"))) {
            return json(401, Map.of("detail", "Invalid authentication credentials"));
        }
        String retryAfter = throttled.remove(n);
        if (retryAfter != null) {
            return throttledResponse(retryAfter);
        }
        try {
            String path = request.getUrl().replaceFirst("\\?.*", "");
            String base = "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE + "/events";
            String scope = "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE;
            if (path.startsWith("/api/accounts/" + ACCOUNT + "/events")) {
                scope = "/api/accounts/" + ACCOUNT;
                accountLevelCalls.incrementAndGet();
                path = base + path.substring(("/api/accounts/" + ACCOUNT + "/events").length());
            }
            if (request.getMethod().getName().equals("POST") && path.equals(base + "/filter")) {
                filterQueries.incrementAndGet();
                JsonNode body = JSON.readTree(request.getBodyAsString());
                JsonNode filter = body.path("filter");
                Query query = new Query(
                        OffsetDateTime.parse(filter.path("occurred").path("since").asText()).toInstant(),
                        body.path("limit").asInt(50),
                        prefixes(filter.path("event").path("prefix")),
                        filter.path("order").asText("DESC"),
                        0, scope);
                return page(query);
            }
            if (request.getMethod().getName().equals("GET") && path.equals(base + "/filter/next")) {
                Query query = pageTokens.remove(request.queryParameter("page-token").firstValue());
                if (query == null) {
                    return json(403, Map.of("detail", "Invalid page token"));
                }
                return page(query);
            }
            if (request.getMethod().getName().equals("POST") && path.equals(base)) {
                JsonNode body = JSON.readTree(request.getBodyAsString());
                List<JsonNode> batch = new ArrayList<>();
                body.forEach(batch::add);
                createAttempts.add(batch);
                if (createFailuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    return aResponse().withStatus(createFailureStatus).withFixedDelay(createDelayMillis)
                            .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Service Unavailable\"}").build();
                }
                created.add(batch);
                for (JsonNode e : batch) {
                    if (!e.hasNonNull("id") || !e.hasNonNull("occurred") || !e.path("resource").hasNonNull("prefect.resource.id")) {
                        return json(422, Map.of("detail", List.of(Map.of("loc", List.of("body"), "msg", "invalid event", "type", "value_error"))));
                    }
                }
                batch.forEach(e -> stored.putIfAbsent(e.path("id").asText(), e));
                return aResponse().withStatus(204).withFixedDelay(createDelayMillis).build();
            }
            return json(404, Map.of("detail", "Not Found"));
        } catch (Exception e) {
            return json(500, Map.of("detail", String.valueOf(e)));
        }
    }

    private static ResponseDefinition throttledResponse(String retryAfter) {
        return aResponse().withStatus(429).withHeader("Retry-After", retryAfter)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Rate limit exceeded\"}").build();
    }

    private ResponseDefinition page(Query query) throws Exception {
        int pageNumber = pagesServed.incrementAndGet();
        onPage.accept(pageNumber);
        Comparator<Map<String, Object>> byOccurred = Comparator.comparing(e -> OffsetDateTime.parse((String) e.get("occurred")).toInstant());
        List<Map<String, Object>> matching = events.stream()
                .filter(e -> !OffsetDateTime.parse((String) e.get("occurred")).toInstant().isBefore(query.since()))
                .filter(e -> query.prefixes().isEmpty() || query.prefixes().stream().anyMatch(((String) e.get("event"))::startsWith))
                .sorted("ASC".equals(query.order()) ? byOccurred : byOccurred.reversed())
                .toList();
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(from + query.limit(), matching.size());
        String next = null;
        if (to < matching.size()) {
            String token = UUID.randomUUID().toString().replace("-", "") + "=";
            pageTokens.put(token, new Query(query.since(), query.limit(), query.prefixes(), query.order(), to, query.scope()));
            next = baseUrl() + query.scope() + "/events/filter/next?page-token="
                    + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("events", matching.subList(from, to));
        page.put("total", matching.size());
        page.put("next_page", next);
        return json(200, page);
    }

    private static List<String> prefixes(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(p -> out.add(p.asText()));
        return out;
    }

    private static ResponseDefinition json(int status, Object body) {
        try {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody(JSON.writeValueAsString(body)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    private record Query(Instant since, int limit, List<String> prefixes, String order, int offset, String scope) {
    }
}
