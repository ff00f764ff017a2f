package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rebuilt sessions and the session cap: a session swept as idle is rebuilt from its id on its next request; a session
 * of another replica is rebuilt only when the cap leaves room (else 503 with Retry-After, the sessions in use going
 * on), and counts against the cap once rebuilt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpSessionRebuildTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "2025-11-25";
    private static final String SECRET = "rebuild-test-secret-0123456789abcdef0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private McpHarness small;
    private McpHarness other;

    @BeforeAll
    void start() throws Exception {
        small = new McpHarness(Map.of("mcp.max-sessions", "2", "mcp.session-idle-timeout-seconds", "2",
                "mcp.session-secret", SECRET));
        other = new McpHarness(Map.of("mcp.session-secret", SECRET));
    }

    @AfterAll
    void stop() {
        small.close();
        other.close();
    }

    private HttpResponse<String> post(McpHarness h, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", VERSION);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String session(McpHarness h) throws Exception {
        HttpResponse<String> init = post(h, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"" + VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(post(h, id, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
                .isEqualTo(202);
        return id;
    }

    private int ping(McpHarness h, String session) throws Exception {
        HttpResponse<String> r = post(h, session, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
        if (r.statusCode() == 200) {
            assertThat(JSON.readTree(r.body()).has("result")).as(r.body()).isTrue();
        }
        return r.statusCode();
    }

    private VertxStreamableTransport transport(McpHarness h) {
        return h.service.transport();
    }

    @Test
    void aSweptSessionIsRebuiltAndTheCapHoldsForRebuiltOnes() throws Exception {
        Thread.sleep(3500); // nothing left from before
        String swept = session(small);
        Thread.sleep(3500); // idle for longer than 2 s: swept
        assertThat(transport(small).sessionCount()).isZero();
        long rebuilt = transport(small).rebuilds();
        assertThat(ping(small, swept)).isEqualTo(200);
        assertThat(transport(small).rebuilds()).isEqualTo(rebuilt + 1);
        assertThat(transport(small).sessionCount()).isEqualTo(1);

        // the cap is full with two sessions in use: another replica's session is not rebuilt here
        String second = session(small);
        String elsewhere = session(other);
        HttpResponse<String> refused = post(small, elsewhere, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText()).contains("mcp.max-sessions");
        assertThat(ping(small, swept)).isEqualTo(200);
        assertThat(ping(small, second)).isEqualTo(200);
        assertThat(transport(small).sessionCount()).isEqualTo(2);

        // once they have gone idle there is room again, and the refused one is served
        Thread.sleep(3500);
        assertThat(ping(small, elsewhere)).isEqualTo(200);
        assertThat(ping(other, elsewhere)).isEqualTo(200);
    }
}
