package io.prefectcamel.mcp;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** The streamable HTTP transport seen from raw HTTP: status codes, headers, negotiation, sessions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPT = "application/json, text/event-stream";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private McpHarness harness;

    @BeforeAll
    void start() throws Exception {
        harness = new McpHarness(Map.of("mcp.tools-page-size", "5"));
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(harness.url()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String initialize(String version) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-test\",\"version\":\"1.0\"}}}";
    }

    /** A session that has completed initialize and notifications/initialized. */
    private String session() throws Exception {
        HttpResponse<String> init = post(initialize("2025-11-25"), Map.of());
        assertThat(init.statusCode()).isEqualTo(200);
        String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                Map.of("Mcp-Session-Id", id, "MCP-Protocol-Version", "2025-11-25"));
        assertThat(initialized.statusCode()).isEqualTo(202);
        assertThat(initialized.body()).isEmpty();
        return id;
    }

    private JsonNode rpc(String session, String method, String params) throws Exception {
        HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":"
                + params + "}", Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void initializeEchoesASupportedVersionAndOffersTheLatestOtherwise() throws Exception {
        for (String v : new String[] {"2025-11-25", "2025-06-18", "2025-03-26"}) {
            HttpResponse<String> r = post(initialize(v), Map.of());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode result = JSON.readTree(r.body()).path("result");
            assertThat(result.path("protocolVersion").asText()).isEqualTo(v);
            assertThat(result.at("/serverInfo/name").asText()).isEqualTo("prefect-camel");
            assertThat(result.at("/capabilities/tools").isObject()).isTrue();
            assertThat(result.at("/capabilities/logging").isObject()).isTrue();
            assertThat(r.headers().firstValue("Mcp-Session-Id")).isPresent();
        }
        HttpResponse<String> old = post(initialize("2024-01-01"), Map.of());
        assertThat(JSON.readTree(old.body()).at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void notificationsGet202AndPingAndSetLevelAnswerEmptyObjects() throws Exception {
        String s = session();
        assertThat(rpc(s, "ping", "{}").path("result").toString()).isEqualTo("{}");
        assertThat(rpc(s, "logging/setLevel", "{\"level\":\"warning\"}").path("result").toString()).isEqualTo("{}");
    }

    @Test
    void unsupportedProtocolVersionHeaderIs400() throws Exception {
        String s = session();
        HttpResponse<String> r = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}",
                Map.of("Mcp-Session-Id", s, "MCP-Protocol-Version", "1999-01-01"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("MCP-Protocol-Version");
    }

    @Test
    void foreignOriginIs403AndLocalOriginIsAccepted() throws Exception {
        HttpResponse<String> evil = post(initialize("2025-11-25"), Map.of("Origin", "http://evil.example.com"));
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).doesNotContain("Exception");
        HttpResponse<String> local = post(initialize("2025-11-25"),
                Map.of("Origin", "http://localhost:" + harness.port()));
        assertThat(local.statusCode()).isEqualTo(200);
    }

    @Test
    void foreignHostIs403() throws Exception {
        String body = initialize("2025-11-25");
        assertThat(rawStatus("evil.example.com", body)).isEqualTo(403);
        assertThat(rawStatus("localhost:" + harness.port(), body)).isEqualTo(200);
    }

    private int rawStatus(String host, String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", harness.port())) {
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nAccept: "
                    + ACCEPT + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void getOpensAnSseStreamForASession() throws Exception {
        String s = session();
        HttpRequest get = HttpRequest.newBuilder(URI.create(harness.url())).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/event-stream").header("Mcp-Session-Id", s)
                .header("MCP-Protocol-Version", "2025-11-25").GET().build();
        HttpResponse<InputStream> r = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (InputStream in = r.body()) {
            assertThat(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine()).startsWith(":");
        }

        HttpRequest noSession = HttpRequest.newBuilder(URI.create(harness.url())).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/event-stream").GET().build();
        assertThat(http.send(noSession, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        HttpRequest put = HttpRequest.newBuilder(URI.create(harness.url())).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> putResponse = http.send(put, HttpResponse.BodyHandlers.ofString());
        assertThat(putResponse.statusCode()).isEqualTo(405);
        assertThat(putResponse.headers().firstValue("Allow").orElse("")).contains("POST");
    }

    @Test
    void deleteEndsTheSessionAndUnknownSessionsAre404() throws Exception {
        String s = session();
        HttpRequest delete = HttpRequest.newBuilder(URI.create(harness.url())).timeout(Duration.ofSeconds(10))
                .header("Mcp-Session-Id", s).DELETE().build();
        assertThat(http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        HttpResponse<String> after = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}", Map.of("Mcp-Session-Id", s));
        assertThat(after.statusCode()).isEqualTo(404);
        HttpResponse<String> none = post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}", Map.of());
        assertThat(none.statusCode()).isEqualTo(400);
        HttpResponse<String> garbage = post("{not json", Map.of("Mcp-Session-Id", s));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(garbage.body()).at("/error/code").asInt()).isEqualTo(-32700);
    }

    @Test
    void toolsListPagesWithAnOpaqueCursor() throws Exception {
        String s = session();
        JsonNode first = rpc(s, "tools/list", "{}").path("result");
        assertThat(first.path("tools").size()).isEqualTo(5);
        String cursor = first.path("nextCursor").asText();
        JsonNode second = rpc(s, "tools/list", "{\"cursor\":\"" + cursor + "\"}").path("result");
        assertThat(second.path("tools").size()).isEqualTo(5);
        JsonNode third = rpc(s, "tools/list", "{\"cursor\":\"" + second.path("nextCursor").asText() + "\"}")
                .path("result");
        assertThat(third.path("tools").size()).as("12 operation tools and search-operations").isEqualTo(3);
        assertThat(third.has("nextCursor") && !third.path("nextCursor").isNull()).isFalse();
        JsonNode bad = rpc(s, "tools/list", "{\"cursor\":\"not-a-cursor!\"}");
        assertThat(bad.at("/error/code").asInt()).isEqualTo(-32602);
    }
}
