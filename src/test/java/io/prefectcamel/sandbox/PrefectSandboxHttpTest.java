package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox over HTTP, as the service, tests and benchmarks use it. */
class PrefectSandboxHttpTest {

    private static final String ACCOUNT = "a0000000-0000-4000-8000-00000000000a";
    private static final String WORKSPACE = "b0000000-0000-4000-8000-00000000000b";

    private final HttpClient http = HttpClient.newHttpClient();
    private PrefectSandbox sandbox;
    private String workspaceUrl;

    @BeforeEach
    void start() {
        sandbox = PrefectSandbox.builder().build().start();
        workspaceUrl = sandbox.baseUrl() + "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE;
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    private static ObjectNode newEvent(String name, Instant occurred, String resourceId) {
        ObjectNode e = Json.object();
        e.put("id", UUID.randomUUID().toString());
        e.put("occurred", occurred.toString());
        e.put("event", name);
        e.putObject("resource").put("prefect.resource.id", resourceId);
        return e;
    }

    /** Creates events through the API; returns their ids. */
    private List<String> createEvents(String url, int n, Instant newest, long spacingMillis) throws Exception {
        List<String> ids = new ArrayList<>();
        ArrayNode batch = Json.array();
        for (int i = 0; i < n; i++) {
            ObjectNode e = newEvent("test.event." + (i % 7), newest.minusMillis(i * spacingMillis), "test.resource." + (i % 13));
            ids.add(e.get("id").asText());
            batch.add(e);
            if (batch.size() == 100 || i == n - 1) {
                HttpResponse<String> r = post(url + "/events", batch.toString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
                assertThat(r.body()).isEmpty();
                batch = Json.array();
            }
        }
        return ids;
    }

    private static String rawRequest(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            return new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
        }
    }

    // ------------------------------------------------------------------ paging

    @Test
    void pagesThrough500EventsExactlyOnce() throws Exception {
        Set<String> created = new HashSet<>(createEvents(workspaceUrl, 500, Instant.now().minusSeconds(1), 1000));
        assertThat(created).hasSize(500);

        HttpResponse<String> first = post(workspaceUrl + "/events/filter", "{\"limit\":50}");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode page = json(first);
        List<String> seen = new ArrayList<>();
        int pages = 0;
        Instant previous = Instant.MAX;
        while (true) {
            pages++;
            assertThat(page.path("total").asLong()).isEqualTo(500);
            assertThat(page.path("events")).hasSizeLessThanOrEqualTo(50);
            for (JsonNode e : page.path("events")) {
                seen.add(e.path("id").asText());
                Instant occurred = Instant.parse(e.path("occurred").asText());
                assertThat(occurred).as("newest first").isBeforeOrEqualTo(previous);
                previous = occurred;
                assertThat(e.path("account").asText()).isEqualTo(ACCOUNT);
                assertThat(e.path("workspace").asText()).isEqualTo(WORKSPACE);
                assertThat(e.hasNonNull("received")).isTrue();
            }
            JsonNode next = page.path("next_page");
            if (next.isNull()) {
                break;
            }
            assertThat(next.asText()).startsWith(workspaceUrl + "/events/filter/next?page-token=");
            HttpResponse<String> r = get(next.asText());
            assertThat(r.statusCode()).isEqualTo(200);
            page = json(r);
        }
        assertThat(pages).isEqualTo(10);
        assertThat(seen).hasSize(500).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(created);
    }

    @Test
    void eventsArrivingBetweenPagesNeitherLeakInNorShiftPages() throws Exception {
        Instant start = Instant.now();
        Set<String> original = new HashSet<>(createEvents(workspaceUrl, 200, start.minusSeconds(1), 10_000));

        JsonNode page = json(post(workspaceUrl + "/events/filter", "{\"limit\":30,\"filter\":{\"event\":{\"prefix\":[\"test.\"]}}}"));
        List<String> seen = new ArrayList<>();
        Set<String> inserted = new HashSet<>();
        int round = 0;
        while (true) {
            assertThat(page.path("total").asLong()).isEqualTo(200);
            page.path("events").forEach(e -> seen.add(e.path("id").asText()));
            // between pages: events inside the queried window (older than anything read so far, and
            // in the middle of it) and events newer than the query
            ArrayNode batch = Json.array();
            batch.add(newEvent("test.late", start.minusSeconds(1).minusMillis(10_000L * 150 + round), "late.old"));
            batch.add(newEvent("test.late", start.minusSeconds(1).minusMillis(10_000L * 20 + round), "late.middle"));
            batch.add(newEvent("test.late", Instant.now(), "late.new"));
            batch.forEach(e -> inserted.add(e.path("id").asText()));
            assertThat(post(workspaceUrl + "/events", batch.toString()).statusCode()).isEqualTo(204);
            round++;
            if (page.path("next_page").isNull()) {
                break;
            }
            page = json(get(page.path("next_page").asText()));
        }
        assertThat(round).isEqualTo(7);
        assertThat(seen).doesNotHaveDuplicates().hasSize(200);
        assertThat(new HashSet<>(seen)).isEqualTo(original).doesNotContainAnyElementsOf(inserted);

        // a new query sees them
        JsonNode fresh = json(post(workspaceUrl + "/events/filter",
                "{\"limit\":1,\"filter\":{\"occurred\":{\"until\":\"" + Instant.now().plusSeconds(5) + "\"}}}"));
        assertThat(fresh.path("total").asLong()).isEqualTo(200 + inserted.size());
    }

    @Test
    void pagingWhileAnotherClientKeepsWritingStaysConsistent() throws Exception {
        Set<String> original = new HashSet<>(createEvents(workspaceUrl, 300, Instant.now().minusSeconds(1), 1000));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                while (!done.get()) {
                    ArrayNode batch = Json.array();
                    for (int i = 0; i < 10; i++) {
                        batch.add(newEvent("test.concurrent", Instant.now().minusSeconds(1 + (long) (Math.random() * 250)), "concurrent"));
                    }
                    if (post(workspaceUrl + "/events", batch.toString()).statusCode() == 204) {
                        written.addAndGet(10);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            while (written.get() == 0 && writer.isAlive()) {
                Thread.onSpinWait();
            }
            assertThat(written.get()).as("the writer is writing").isPositive();
            JsonNode page = json(post(workspaceUrl + "/events/filter", "{\"limit\":25}"));
            long total = page.path("total").asLong();
            List<String> seen = new ArrayList<>();
            while (true) {
                assertThat(page.path("total").asLong()).isEqualTo(total);
                page.path("events").forEach(e -> seen.add(e.path("id").asText()));
                if (page.path("next_page").isNull()) {
                    break;
                }
                page = json(get(page.path("next_page").asText()));
            }
            assertThat(seen).doesNotHaveDuplicates().hasSize((int) total).containsAll(original);
        } finally {
            done.set(true);
            writer.join();
        }
        assertThat(written.get()).isPositive();
    }

    @Test
    void ascendingPagesAndSmallLastPage() throws Exception {
        createEvents(workspaceUrl, 45, Instant.now().minusSeconds(1), 500);
        JsonNode page = json(post(workspaceUrl + "/events/filter", "{\"limit\":20,\"filter\":{\"order\":\"ASC\"}}"));
        List<Integer> sizes = new ArrayList<>();
        Instant previous = Instant.MIN;
        while (true) {
            sizes.add(page.path("events").size());
            for (JsonNode e : page.path("events")) {
                Instant occurred = Instant.parse(e.path("occurred").asText());
                assertThat(occurred).isAfterOrEqualTo(previous);
                previous = occurred;
            }
            if (page.path("next_page").isNull()) {
                break;
            }
            page = json(get(page.path("next_page").asText()));
        }
        assertThat(sizes).containsExactly(20, 20, 5);
    }

    @Test
    void pageTokensAreCheckedAndScoped() throws Exception {
        createEvents(workspaceUrl, 5, Instant.now().minusSeconds(1), 100);
        String next = json(post(workspaceUrl + "/events/filter", "{\"limit\":2}")).path("next_page").asText();
        String token = next.substring(next.indexOf("page-token=") + "page-token=".length());

        // tampered
        String tampered = token.substring(0, 10) + (token.charAt(10) == 'x' ? 'y' : 'x') + token.substring(11);
        HttpResponse<String> r = get(workspaceUrl + "/events/filter/next?page-token=" + tampered);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("detail").asText()).isEqualTo("Forbidden");
        assertThat(get(workspaceUrl + "/events/filter/next?page-token=garbage").statusCode()).isEqualTo(403);

        // another scope: a different workspace, or the account level
        String otherWorkspace = sandbox.baseUrl() + "/api/accounts/" + ACCOUNT + "/workspaces/" + UUID.randomUUID();
        assertThat(get(otherWorkspace + "/events/filter/next?page-token=" + token).statusCode()).isEqualTo(403);
        assertThat(get(sandbox.baseUrl() + "/api/accounts/" + ACCOUNT + "/events/filter/next?page-token=" + token).statusCode()).isEqualTo(403);

        // missing
        r = get(workspaceUrl + "/events/filter/next");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).path("detail").get(0).path("loc").toString()).isEqualTo("[\"query\",\"page-token\"]");

        // the untouched token still works
        assertThat(get(next).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ create

    @Test
    void createIsIdempotentAndAccountLevelEventsHaveNoWorkspace() throws Exception {
        ObjectNode e = newEvent("test.once", Instant.now().minusSeconds(5), "thing.1");
        String body = "[" + e + "]";
        assertThat(post(workspaceUrl + "/events", body).statusCode()).isEqualTo(204);
        assertThat(post(workspaceUrl + "/events", body).statusCode()).isEqualTo(204);
        assertThat(json(post(workspaceUrl + "/events/filter", "{}")).path("total").asLong()).isEqualTo(1);

        String accountUrl = sandbox.baseUrl() + "/api/accounts/" + ACCOUNT;
        ObjectNode accountEvent = newEvent("test.account", Instant.now().minusSeconds(5), "thing.2");
        assertThat(post(accountUrl + "/events", "[" + accountEvent + "]").statusCode()).isEqualTo(204);
        JsonNode all = json(post(accountUrl + "/events/filter", "{\"filter\":{\"order\":\"ASC\"}}"));
        assertThat(all.path("total").asLong()).isEqualTo(2);
        JsonNode stored = json(post(accountUrl + "/events/filter", "{\"filter\":{\"event\":{\"name\":[\"test.account\"]}}}"))
                .path("events").get(0);
        assertThat(stored.path("workspace").isNull()).isTrue();
        assertThat(stored.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(json(post(workspaceUrl + "/events/filter", "{}")).path("total").asLong()).isEqualTo(1);
    }

    @Test
    void invalidBodiesAre422InFastApiShape() throws Exception {
        HttpResponse<String> r = post(workspaceUrl + "/events", "[{\"id\":\"" + UUID.randomUUID() + "\",\"occurred\":\"2026-01-01T00:00:00Z\","
                + "\"event\":\"x\",\"resource\":{}}]");
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode error = json(r).path("detail").get(0);
        assertThat(error.path("loc").toString()).isEqualTo("[\"body\",0,\"resource\"]");
        assertThat(error.path("type").asText()).isEqualTo("value_error");

        r = post(workspaceUrl + "/events", "[{\"id\":");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).path("detail").get(0).path("type").asText()).isEqualTo("json_invalid");

        r = post(workspaceUrl + "/events/filter", "{\"limit\":201}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"limit\"]");
        assertThat(post(workspaceUrl + "/events/filter", "{\"limit\":-1}").statusCode()).isEqualTo(422);
        assertThat(post(workspaceUrl + "/events/filter", "{\"filter\":{\"related\":\"flow\"}}").statusCode()).isEqualTo(422);
        assertThat(post(workspaceUrl + "/events/filter", "").statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesNeedALengthAndAtMost5MiB() throws Exception {
        String path = "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE + "/events";
        String chunked = rawRequest(sandbox.port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 411");
        String large = rawRequest(sandbox.port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (5 * 1024 * 1024 + 1) + "\r\n\r\n[");
        assertThat(large).startsWith("HTTP/1.1 413");
    }

    // ------------------------------------------------------------------ routing, auth, faults

    @Test
    void unknownPathsWrongMethodsAndBadPathIds() throws Exception {
        HttpResponse<String> r = get(sandbox.baseUrl() + "/api/nothing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("detail").asText()).isEqualTo("Not Found");
        assertThat(get(workspaceUrl + "/events/filter").statusCode()).isEqualTo(405);
        r = post(sandbox.baseUrl() + "/api/accounts/not-a-uuid/workspaces/" + WORKSPACE + "/events/filter", "{}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).path("detail").get(0).path("loc").toString()).isEqualTo("[\"path\",\"account_id\"]");
        r = post(workspaceUrl + "/events/count-by/weekday", "{}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(json(r).path("detail").get(0).path("loc").toString()).isEqualTo("[\"path\",\"countable\"]");
    }

    @Test
    void bearerKeyIsRequiredWhenConfigured() throws Exception {
        try (PrefectSandbox secured = PrefectSandbox.builder().apiKey("pnu_test_key").build().start()) {
            String url = secured.baseUrl() + "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE + "/events/filter";
            HttpResponse<String> r = post(url, "{}");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json(r).path("detail").asText()).isEqualTo("Invalid authentication credentials");
            assertThat(r.body()).doesNotContain("pnu_test_key");
            assertThat(post(url, "{}", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(post(url, "{}", "Authorization", "pnu_test_key").statusCode()).isEqualTo(401);
            assertThat(post(url, "{}", "Authorization", "Bearer pnu_test_key").statusCode()).isEqualTo(200);
        }
        // without a configured key any bearer, or none, is accepted
        assertThat(post(workspaceUrl + "/events/filter", "{}", "Authorization", "Bearer whatever").statusCode()).isEqualTo(200);
    }

    @Test
    void injected429sCarryRetryAfter() throws Exception {
        try (PrefectSandbox faulty = PrefectSandbox.builder().faultRate429(1.0).retryAfterSeconds(7).build().start()) {
            String url = faulty.baseUrl() + "/api/accounts/" + ACCOUNT + "/workspaces/" + WORKSPACE + "/events/filter";
            HttpResponse<String> r = post(url, "{}");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(json(r).path("detail").asText()).isEqualTo("Rate limit exceeded");
            faulty.setFaultRate429(0.5);
            int limited = 0;
            for (int i = 0; i < 200; i++) {
                if (post(url, "{}").statusCode() == 429) {
                    limited++;
                }
            }
            assertThat(limited).isBetween(50, 150);
            faulty.setFaultRate429(0);
            assertThat(post(url, "{}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void addedLatencyDelaysAnswers() throws Exception {
        sandbox.setAddedLatencyMillis(120);
        long t0 = System.nanoTime();
        assertThat(post(workspaceUrl + "/events/filter", "{}").statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(120);
        sandbox.setAddedLatencyMillis(0);
    }

    // ------------------------------------------------------------------ flow runs, counts, tags, seed

    @Test
    void flowRunEventsAnswer304WhenTheCountIsUnchanged() throws Exception {
        String flowRun = UUID.randomUUID().toString();
        ArrayNode batch = Json.array();
        batch.add(newEvent("prefect.flow-run.Pending", Instant.now().minusSeconds(20), "prefect.flow-run." + flowRun));
        batch.add(newEvent("prefect.flow-run.Running", Instant.now().minusSeconds(10), "prefect.flow-run." + flowRun));
        ObjectNode task = newEvent("prefect.task-run.Running", Instant.now().minusSeconds(5), "prefect.task-run." + UUID.randomUUID());
        task.putArray("related").addObject().put("prefect.resource.id", "prefect.flow-run." + flowRun).put("prefect.resource.role", "flow-run");
        batch.add(task);
        assertThat(post(workspaceUrl + "/events", batch.toString()).statusCode()).isEqualTo(204);

        String url = workspaceUrl + "/flow_runs/" + flowRun + "/events";
        HttpResponse<String> r = get(url);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).hasSize(3);
        assertThat(json(r).get(0).path("event").asText()).isEqualTo("prefect.task-run.Running");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"3\"");

        assertThat(get(url + "?with_task_runs=false&order=ASC").body()).contains("prefect.flow-run.Pending")
                .doesNotContain("prefect.task-run.");
        assertThat(json(get(url + "?offset=1&limit=1"))).hasSize(1);

        HttpResponse<String> notModified = get(url, "if-none-match", "3");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(get(url, "if-none-match", "2").statusCode()).isEqualTo(200);
        assertThat(get(url + "?offset=5001").statusCode()).isEqualTo(422);
        assertThat(get(url + "?order=SIDEWAYS").statusCode()).isEqualTo(422);
    }

    @Test
    void seededSandboxServesDemoData() throws Exception {
        try (PrefectSandbox seeded = PrefectSandbox.builder().seed(true).build().start()) {
            String url = seeded.demoWorkspaceUrl();
            JsonNode lastHour = json(post(url + "/events/filter",
                    "{\"filter\":{\"occurred\":{\"since\":\"" + Instant.now().minusSeconds(3600) + "\"}}}"));
            assertThat(lastHour.path("total").asLong()).isGreaterThanOrEqualTo(50);
            assertThat(lastHour.path("events")).hasSize(50);
            assertThat(lastHour.path("next_page").asText()).contains("/events/filter/next?page-token=");

            String flowRun = seeded.store().flowRunIds().get(0);
            JsonNode runEvents = json(get(url + "/flow_runs/" + flowRun + "/events?order=ASC"));
            assertThat(runEvents.get(0).path("event").asText()).isEqualTo("prefect.flow-run.Scheduled");

            JsonNode days = json(post(url + "/events/count-by/day", "{}"));
            assertThat(days).hasSize(15);
            long sum = 0;
            for (JsonNode d : days) {
                sum += d.path("count").asLong();
                assertThat(d.has("value") && d.has("label") && d.has("start_time") && d.has("end_time")).isTrue();
            }
            assertThat(sum).isEqualTo(seeded.store().size());

            JsonNode tags = json(get(url + "/tags?limit=2&sort=NAME_ASC"));
            assertThat(tags.path("limit").asInt()).isEqualTo(2);
            assertThat(tags.path("page").asInt()).isEqualTo(1);
            assertThat(tags.path("results")).hasSize(2);
            int count = tags.path("count").asInt();
            assertThat(tags.path("pages").asInt()).isEqualTo((count + 1) / 2);
            String firstTag = tags.path("results").get(0).path("name").asText();
            assertThat(tags.path("results").get(0).has("first_seen")).isTrue();

            assertThat(send(HttpRequest.newBuilder(URI.create(url + "/tags?tag=" + firstTag)).DELETE()).statusCode()).isEqualTo(204);
            assertThat(json(get(url + "/tags")).path("count").asInt()).isEqualTo(count - 1);
            assertThat(send(HttpRequest.newBuilder(URI.create(url + "/tags")).DELETE()).statusCode()).isEqualTo(422);
            assertThat(json(get(url + "/tags?search=PRO")).path("results").toString()).contains("\"prod\"");

            assertThat(get(url + "/health").body()).isEqualTo("true");
        }
    }

    @Test
    void countByOverHttp() throws Exception {
        Instant now = Instant.now();
        createEvents(workspaceUrl, 30, now.minusSeconds(1), 1000);
        JsonNode byEvent = json(post(workspaceUrl + "/events/count-by/event", "{}"));
        assertThat(byEvent).hasSize(7);
        assertThat(byEvent.get(0).path("count").asLong()).isEqualTo(5);
        HttpResponse<String> tooMany = post(workspaceUrl + "/events/count-by/time", "{\"time_unit\":\"second\",\"filter\":{\"occurred\":"
                + "{\"since\":\"" + now.minusSeconds(3600) + "\",\"until\":\"" + now + "\"}}}");
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(json(tooMany).path("detail").asText()).contains("buckets");
        JsonNode minutes = json(post(workspaceUrl + "/events/count-by/time", "{\"time_unit\":\"minute\",\"time_interval\":5,"
                + "\"filter\":{\"occurred\":{\"since\":\"" + now.minusSeconds(3600) + "\",\"until\":\"" + now + "\"}}}"));
        long total = 0;
        for (JsonNode m : minutes) {
            total += m.path("count").asLong();
        }
        assertThat(total).isEqualTo(30);
        assertThat(minutes.size()).isBetween(12, 13);
        assertThat(post(workspaceUrl + "/events/count-by/time", "{\"time_interval\":0.001}").statusCode()).isEqualTo(422);
    }

    @Test
    void nextPageLinksFollowTheHostHeaderAndKeepTheirScope() throws Exception {
        String accountUrl = sandbox.baseUrl() + "/api/accounts/" + ACCOUNT;
        createEvents(workspaceUrl, 3, Instant.now().minusSeconds(1), 10);
        String next = json(post(accountUrl + "/events/filter", "{\"limit\":1}")).path("next_page").asText();
        assertThat(next).startsWith(accountUrl + "/events/filter/next?page-token=");
        Set<String> ids = new LinkedHashSet<>();
        JsonNode page = json(get(next));
        page.path("events").forEach(e -> ids.add(e.path("id").asText()));
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(ids).hasSize(1);
    }
}
