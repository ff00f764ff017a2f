package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The transport's limits: a flood of initialize calls past mcp.max-sessions is refused (503) while the sessions in
 * use go on; idle sessions expire and make room; a session has one GET stream; silent connections are closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpSessionLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPT = "application/json, text/event-stream";
    private static final String VERSION = "2025-11-25";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private McpHarness harness;

    @BeforeAll
    void start() throws Exception {
        harness = new McpHarness(Map.of("mcp.max-sessions", "5", "mcp.session-idle-timeout-seconds", "2"));
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    private HttpResponse<String> post(McpHarness h, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> initialize() throws Exception {
        return post(harness, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"flood\",\"version\":\"1.0\"}}}", Map.of());
    }

    private String session() throws Exception {
        HttpResponse<String> init = initialize();
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = post(harness, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                Map.of("Mcp-Session-Id", id, "MCP-Protocol-Version", VERSION));
        assertThat(initialized.statusCode()).isEqualTo(202);
        return id;
    }

    private HttpResponse<String> ping(String session) throws Exception {
        return post(harness, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}",
                Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", VERSION));
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** Waits until every session has gone idle and been swept (idle timeout 2 s, swept every second). */
    private void letSessionsExpire() throws InterruptedException {
        pause(3500);
    }

    @Test
    void aFloodOfInitializeIsRefusedAndTheSessionInUseGoesOn() throws Exception {
        letSessionsExpire();
        String live = session();
        int refused = 0;
        int accepted = 0;
        java.util.List<Long> sentAt = new java.util.ArrayList<>();
        java.util.List<Long> acceptedAt = new java.util.ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            long sent = System.nanoTime();
            HttpResponse<String> r = initialize();
            if (r.statusCode() == 503) {
                refused++;
                if (refused == 1) {
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
                    JsonNode body = JSON.readTree(r.body());
                    assertThat(body.path("jsonrpc").asText()).isEqualTo("2.0");
                    assertThat(body.path("id").asInt()).isEqualTo(1);
                    assertThat(body.path("error").path("message").asText()).contains("mcp.max-sessions");
                }
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
                accepted++;
                sentAt.add(sent);
                acceptedAt.add(System.nanoTime());
            }
            if (n % 100 == 0) {
                assertThat(ping(live).statusCode()).isEqualTo(200); // in use: never idle for 2 s
            }
        }
        // the cap holds the live session and at most four new ones at a time (fewer if an earlier test's are still
        // open): a new session lives at least the idle timeout (2 s) before the sweep ends it and makes room, so any
        // five accepted initialize calls span at least that long, from the first one's request to the fifth one's
        // answer (on a busy machine the flood can outlast it); less 10 ms, as the sweep reads a millisecond clock
        for (int i = 0; i + 4 < acceptedAt.size(); i++) {
            assertThat(acceptedAt.get(i + 4) - sentAt.get(i)).as("five sessions accepted within the idle timeout")
                    .isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1990));
        }
        assertThat(refused).isGreaterThan(900);
        assertThat(refused).isEqualTo(1000 - accepted);
        HttpResponse<String> next = ping(live);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(JSON.readTree(next.body()).has("result")).isTrue();
    }

    @Test
    void idleSessionsExpireAndMakeRoom() throws Exception {
        letSessionsExpire();
        for (int n = 0; n < 5; n++) {
            session();
        }
        assertThat(initialize().statusCode()).isEqualTo(503);
        letSessionsExpire();
        assertThat(initialize().statusCode()).isEqualTo(200);
    }

    @Test
    void aSecondGetStreamReplacesAndClosesTheFirst() throws Exception {
        letSessionsExpire();
        String id = session();
        HttpRequest get = HttpRequest.newBuilder(URI.create(harness.url())).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", id).header("MCP-Protocol-Version", VERSION).GET().build();
        HttpResponse<InputStream> first = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(first.statusCode()).isEqualTo(200);
        BufferedReader one = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8));
        assertThat(one.readLine()).startsWith(": stream open");

        HttpResponse<InputStream> second = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(second.statusCode()).isEqualTo(200);
        BufferedReader two = new BufferedReader(new InputStreamReader(second.body(), StandardCharsets.UTF_8));
        assertThat(two.readLine()).startsWith(": stream open");

        CompletableFuture<Boolean> firstEnded = CompletableFuture.supplyAsync(() -> {
            try {
                while (one.readLine() != null) {
                    // comments until the end
                }
                return true;
            } catch (IOException e) {
                return true;
            }
        });
        assertThat(firstEnded.get(5, TimeUnit.SECONDS)).as("the first stream ended").isTrue();
        // the second one is the session's stream now: still open
        CompletableFuture<String> secondLine = CompletableFuture.supplyAsync(() -> {
            try {
                String line = two.readLine();
                while (line != null && line.isEmpty()) {
                    line = two.readLine();
                }
                return line;
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        pause(500);
        assertThat(secondLine).isNotDone();
        second.body().close();
        first.body().close();
    }

    @Test
    void aSilentConnectionIsClosed() throws Exception {
        try (McpHarness idle = new McpHarness(Map.of("mcp.connection-idle-timeout-seconds", "1"));
             Socket socket = new Socket("127.0.0.1", idle.port())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (IOException e) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
