package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.auth.TokenStore;
import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas of the service (same mcp.session-secret, same Prefect sandbox, scoped tokens from one store) behind a
 * round-robin HTTP proxy that sends each request to the other replica than the one before: the SDK's MCP client
 * initializes, lists the tools and calls them through the proxy, every call succeeding although each replica sees
 * only every other request of the session. A tampered id, another caller's id and an id signed by a replica with
 * another secret are all answered like unknown sessions (404).
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpReplicasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "2025-11-25";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private PrefectSandbox sandbox;
    private ServiceUnderTest one;
    private ServiceUnderTest two;
    private ServiceUnderTest foreign;
    private RoundRobinProxy proxy;
    private String alice;
    private String bob;

    @BeforeAll
    void start() throws IOException {
        Path dir = Files.createTempDirectory("prefect-camel-replicas");
        dir.toFile().deleteOnExit();
        Path store = dir.resolve("tokens.json");
        alice = token(store, "alice");
        bob = token(store, "bob");
        String shared = secret();
        sandbox = PrefectSandbox.builder().seed(false).apiKey(TestKey.VALUE).build().start();
        one = replica(store, shared);
        two = replica(store, shared);
        foreign = replica(store, secret());
        proxy = new RoundRobinProxy(List.of(McpEndToEndTest.mcpPort(one), McpEndToEndTest.mcpPort(two)));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {proxy, one, two, foreign, sandbox}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still close
            }
        }
    }

    private static String token(Path store, String name) throws IOException {
        TokenStore.Created created = TokenStore.read(store).create(name, List.of("events:read", "events:write"),
                List.of(), List.of(), null, null, null);
        created.store().write(store);
        return created.token();
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private ServiceUnderTest replica(Path store, String secret) {
        Map<String, String> more = new LinkedHashMap<>();
        more.put("facade.auth.mode", "tokens");
        more.put("facade.auth.tokens-file", store.toString());
        more.put("facade.auth.rate-limit.per-second", "1000");
        more.put("facade.auth.rate-limit.max-concurrent", "50");
        more.put("mcp.session-secret", secret);
        return McpEndToEndTest.startService(sandbox, more);
    }

    private static String mcpUrl(ServiceUnderTest service) {
        return "http://127.0.0.1:" + McpEndToEndTest.mcpPort(service) + "/mcp";
    }

    private static VertxStreamableTransport transport(ServiceUnderTest service) {
        return service.camelContext().hasService(McpServerService.class).transport();
    }

    // ------------------------------------------------------------------ the session through the balancer

    @Test
    void aSessionIsServedByBothReplicasBehindARoundRobinBalancer() {
        long rebuiltBefore = transport(one).rebuilds() + transport(two).rebuilds();
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(proxy.base())
                .endpoint("/mcp")
                .httpRequestCustomizer((b, method, uri, body, context) -> b.header("Authorization", "Bearer " + alice))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("prefect-camel");
            assertThat(init.protocolVersion()).isEqualTo(VERSION);

            List<String> tools = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = client.listTools(cursor);
                page.tools().forEach(t -> tools.add(t.name()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(tools).contains("create-workspace-events", "read-workspace-events");

            String prefix = McpEndToEndTest.prefix();
            List<String> created = new ArrayList<>();
            for (int n = 0; n < 15; n++) {
                Map<String, Object> event = McpEndToEndTest.event(prefix + "step", "my-app.replica." + n,
                        Instant.now().minusSeconds(60 - n), List.of());
                McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("create-workspace-events",
                        Map.of("events", List.of(event))));
                assertThat(r.isError()).as("call %d: %s", n, McpEndToEndTest.text(r)).isNotEqualTo(Boolean.TRUE);
                created.add((String) event.get("id"));
                McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read-workspace-events",
                        Map.of("filter", McpEndToEndTest.filter(prefix), "limit", 50)));
                assertThat(read.isError()).as("read %d: %s", n, McpEndToEndTest.text(read)).isNotEqualTo(Boolean.TRUE);
                assertThat(JSON.valueToTree(read.structuredContent()).path("total").asInt()).isEqualTo(n + 1);
            }
            for (String id : created) {
                assertThat(sandbox.store().get(id)).as("event %s stored once", id).isPresent();
            }
            client.ping();
        } finally {
            client.closeGracefully();
        }
        // each replica answered a fair share of the session's requests, and at least one had to rebuild it
        assertThat(proxy.requests(0)).isGreaterThan(15);
        assertThat(proxy.requests(1)).isGreaterThan(15);
        assertThat(proxy.errors()).isZero();
        assertThat(transport(one).rebuilds() + transport(two).rebuilds()).isGreaterThan(rebuiltBefore);
    }

    // ------------------------------------------------------------------ ids that must not work

    @Test
    void aTamperedIdIsAnUnknownSession() throws Exception {
        String id = initialize(one, alice);
        assertThat(ping(two, alice, id).statusCode()).as("the untouched id, on the other replica").isEqualTo(200);
        int dot = id.lastIndexOf('.');
        String payload = id.substring(0, dot);
        String signature = id.substring(dot + 1);
        List<String> tampered = List.of(
                flip(payload, payload.length() - 3) + "." + signature,
                payload + "." + flip(signature, 5),
                payload + "." + signature.substring(0, signature.length() - 2),
                payload + ".",
                "s1." + payload.substring(3) + "x." + signature,
                id + "A");
        for (String bad : tampered) {
            for (ServiceUnderTest replica : List.of(one, two)) {
                HttpResponse<String> r = ping(replica, alice, bad);
                assertThat(r.statusCode()).as("%s on a replica", bad).isEqualTo(404);
                assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
                        .contains("Unknown or expired session");
            }
        }
    }

    @Test
    void anotherCallersIdIsRefusedOnEveryReplica() throws Exception {
        String id = initialize(one, alice);
        assertThat(ping(one, bob, id).statusCode()).as("on the replica that holds it").isEqualTo(404);
        assertThat(ping(two, bob, id).statusCode()).as("on a replica that would rebuild it").isEqualTo(404);
        HttpResponse<String> noToken = post(two, null, id, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        assertThat(noToken.statusCode()).isEqualTo(401);
        // the owner still uses it, on both
        assertThat(ping(two, alice, id).statusCode()).isEqualTo(200);
        assertThat(ping(one, alice, id).statusCode()).isEqualTo(200);
        // and a rebuilt session is still refused to the other caller
        assertThat(ping(two, bob, id).statusCode()).isEqualTo(404);
    }

    @Test
    void aReplicaWithAnotherSecretDoesNotKnowTheSession() throws Exception {
        String id = initialize(one, alice);
        assertThat(ping(foreign, alice, id).statusCode()).isEqualTo(404);
        String other = initialize(foreign, alice);
        assertThat(ping(one, alice, other).statusCode()).isEqualTo(404);
        assertThat(ping(two, alice, other).statusCode()).isEqualTo(404);
        assertThat(ping(foreign, alice, other).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeleteEndsTheSessionOnTheReplicaThatHandledIt() throws Exception {
        String id = initialize(one, alice);
        assertThat(ping(two, alice, id).statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = send(two, alice, id, "DELETE", null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(ping(two, alice, id).statusCode()).as("not rebuilt where it was ended").isEqualTo(404);
        // replica one cannot know of the DELETE: the id works there until its max age (mcp.session-max-age-seconds)
        assertThat(ping(one, alice, id).statusCode()).isEqualTo(200);
    }

    @Test
    void sessionIdsAreVisibleAscii() throws Exception {
        for (int n = 0; n < 20; n++) {
            String id = initialize(n % 2 == 0 ? one : two, n % 2 == 0 ? alice : bob);
            assertThat(id.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
            assertThat(id).startsWith("s1.").doesNotContain(alice).doesNotContain(bob);
            assertThat(TestKey.isIn(id)).isFalse();
        }
    }

    // ------------------------------------------------------------------ plain HTTP

    private static String initialize(ServiceUnderTest replica, String token) throws Exception {
        HttpResponse<String> r = post(replica, token, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"" + VERSION + "\",\"capabilities\":{\"roots\":{\"listChanged\":true}},"
                + "\"clientInfo\":{\"name\":\"replicas-test\",\"version\":\"1.0\"}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = post(replica, token, id,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(initialized.statusCode()).isEqualTo(202);
        return id;
    }

    private static HttpResponse<String> ping(ServiceUnderTest replica, String token, String id) throws Exception {
        HttpResponse<String> r = post(replica, token, id, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
        if (r.statusCode() == 200) {
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.has("result")).as(r.body()).isTrue();
        }
        return r;
    }

    private static HttpResponse<String> post(ServiceUnderTest replica, String token, String id, String body)
            throws Exception {
        return send(replica, token, id, "POST", body);
    }

    private static HttpResponse<String> send(ServiceUnderTest replica, String token, String id, String method,
            String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mcpUrl(replica))).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json, text/event-stream")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (id != null) {
            b.header("Mcp-Session-Id", id).header("MCP-Protocol-Version", VERSION);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The id with one base64url character changed to another one (still well-formed). */
    private static String flip(String s, int at) {
        char c = s.charAt(at);
        char other = c == 'A' ? 'B' : 'A';
        return s.substring(0, at) + other + s.substring(at + 1);
    }

    // ------------------------------------------------------------------ the balancer

    /**
     * A round-robin reverse proxy on loopback: each request goes to the next backend in turn; method, headers and
     * body pass through, and the answer is streamed back as it comes (SSE included).
     */
    static final class RoundRobinProxy implements AutoCloseable {
        private static final Set<String> HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
                "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection");
        private final List<Integer> backends;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicIntegerArray counts;
        private final AtomicInteger errors = new AtomicInteger();
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        RoundRobinProxy(List<Integer> backends) throws IOException {
            this.backends = List.copyOf(backends);
            this.counts = new AtomicIntegerArray(backends.size());
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::forward);
            server.setExecutor(executor);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests(int backend) {
            return counts.get(backend);
        }

        int errors() {
            return errors.get();
        }

        private void forward(HttpExchange exchange) throws IOException {
            int backend = Math.floorMod(next.getAndIncrement(), backends.size());
            counts.incrementAndGet(backend);
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backends.get(backend)
                        + exchange.getRequestURI())).method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!HOP.contains(name.toLowerCase())) {
                        values.forEach(v -> b.header(name, v));
                    }
                });
                HttpResponse<InputStream> answer;
                try {
                    answer = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                answer.headers().map().forEach((name, values) -> {
                    if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                long length = answer.headers().firstValueAsLong("Content-Length").orElse(-1);
                exchange.sendResponseHeaders(answer.statusCode(), length == 0 ? -1 : length < 0 ? 0 : length);
                try (InputStream in = answer.body(); OutputStream out = exchange.getResponseBody()) {
                    byte[] buffer = new byte[8192];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                throw e;
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
