package io.prefectcamel.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.auth.AuthFixtures.EMPTY_PAGE;
import static io.prefectcamel.auth.AuthFixtures.OTHER_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.mcp.McpServerService;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP endpoint with scoped tokens (a real token store in a temporary file), through the SDK's MCP client with an
 * Authorization header, with WireMock as Prefect.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpTokensTest {

    private final Path store = AuthFixtures.tempStore();
    private FakePrefect prefect;
    private ServiceUnderTest service;
    private String reader;
    private String writer;

    @BeforeAll
    void start() {
        reader = AuthFixtures.createToken(store, "mcp-reader", "events:read");
        writer = AuthFixtures.createToken(store, "mcp-writer", "events:read", "events:write", "admin:read");
        prefect = FakePrefect.start();
        service = ServiceUnderTest.builder().prefect(prefect.url(), TestKey.VALUE)
                .properties(FacadeUnderTest.TEST_DEFAULTS)
                .property("facade.auth.mode", "tokens")
                .property("facade.auth.tokens-file", store.toString())
                .property("facade.auth.rate-limit.per-second", "1000")
                .property("mcp.enabled", "true")
                .property("mcp.toolsets", "events,admin")
                .property("prefect.account-id", AuthFixtures.ACCOUNT)
                .property("prefect.workspace-id", WORKSPACE)
                .start();
    }

    @AfterAll
    void stop() {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            prefect.stop();
        }
    }

    @BeforeEach
    void reset() {
        prefect.reset();
        prefect.stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));
    }

    private String base() {
        return "http://127.0.0.1:" + service.camelContext().hasService(McpServerService.class).getPort();
    }

    private McpSyncClient client(String token) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base()).endpoint("/mcp")
                .httpRequestCustomizer((b, method, uri, body, context) -> b.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    private static String text(McpSchema.CallToolResult r) {
        return r.content().stream().filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    @Test
    void withoutValidCredentialsTheEndpointAnswers401() {
        for (String[] auth : List.of(new String[0], new String[] {"Authorization", "Bearer pcat_nope"})) {
            String[] headers = java.util.stream.Stream.concat(java.util.Arrays.stream(auth), java.util.stream.Stream.of(
                    "Content-Type", "application/json", "Accept", "application/json, text/event-stream")).toArray(String[]::new);
            HttpResponse<String> answer = send("POST", base() + "/mcp", JwtAuthTest.initialize(), headers);
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        McpSyncClient anonymous = McpClient.sync(HttpClientStreamableHttpTransport.builder(base()).endpoint("/mcp").build())
                .requestTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(anonymous::initialize).isInstanceOf(RuntimeException.class);
        anonymous.close();
        assertThat(prefect.requestCount()).isZero();
    }

    @Test
    void toolsListShowsOnlyWhatTheScopesAllowAndOtherToolsAreRefused() {
        McpSyncClient client = client(reader);
        try {
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).isNotEmpty().allSatisfy(t -> assertThat(t.annotations().readOnlyHint()).as(t.name()).isTrue());
            List<String> names = tools.stream().map(McpSchema.Tool::name).toList();
            assertThat(names).contains("read-workspace-events").doesNotContain("create-workspace-events", "read-my-profile");

            McpSchema.CallToolResult create = client.callTool(new McpSchema.CallToolRequest("create-workspace-events",
                    Map.of("events", List.of())));
            McpSchema.CallToolResult admin = client.callTool(new McpSchema.CallToolRequest("read-my-profile", Map.of()));
            assertThat(create.isError()).isTrue();
            assertThat(admin.isError()).isTrue();
            assertThat(prefect.requestCount()).isZero();

            McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read-workspace-events", Map.of()));
            assertThat(read.isError()).as(text(read)).isNotEqualTo(Boolean.TRUE);
            assertThat(prefect.onlyRequest().getHeader("Authorization")).isEqualTo("Bearer " + TestKey.VALUE);
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void searchFindsOnlyWhatTheScopesAllow() {
        McpSyncClient readerClient = client(reader);
        McpSyncClient writerClient = client(writer);
        try {
            Map<String, Object> query = Map.of("query", "create events in the workspace", "limit", 50);
            List<Map<String, Object>> forReader = (List<Map<String, Object>>) ((Map<String, Object>) readerClient
                    .callTool(new McpSchema.CallToolRequest("search-operations", query)).structuredContent()).get("results");
            List<Map<String, Object>> forWriter = (List<Map<String, Object>>) ((Map<String, Object>) writerClient
                    .callTool(new McpSchema.CallToolRequest("search-operations", query)).structuredContent()).get("results");
            assertThat(forReader).extracting(r -> r.get("tool")).isNotEmpty()
                    .doesNotContain("create-workspace-events", "read-my-profile");
            assertThat(forWriter).extracting(r -> r.get("tool")).contains("create-workspace-events");
            assertThat(prefect.requestCount()).as("a search costs no Prefect call").isZero();
        } finally {
            readerClient.closeGracefully();
            writerClient.closeGracefully();
        }
    }

    @Test
    void aWiderTokenSeesMoreTools() {
        McpSyncClient client = client(writer);
        try {
            List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(names).contains("create-workspace-events", "read-my-profile").doesNotContain("delete-account");
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aRestrictedTokenIsRefusedElsewhereThroughMcpToo() {
        String restricted = AuthFixtures.createToken(store, "mcp-restricted", List.of("events:read"), List.of(),
                List.of(OTHER_WORKSPACE), null, null);
        AuthFixtures.await(() -> send("POST", base() + "/mcp", JwtAuthTest.initialize(), "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Authorization", "Bearer " + restricted).statusCode() == 200);
        McpSyncClient client = client(restricted);
        try {
            McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read-workspace-events", Map.of()));
            assertThat(read.isError()).isTrue();
            assertThat(text(read)).contains("workspace " + WORKSPACE);
            assertThat(prefect.requestCount()).isZero();
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aRevokedTokenStopsWorkingInAnOpenSessionWithinFiveSeconds() {
        String token = AuthFixtures.createToken(store, "mcp-soon-revoked", "events:read");
        AuthFixtures.await(() -> send("POST", base() + "/mcp", JwtAuthTest.initialize(), "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Authorization", "Bearer " + token).statusCode() == 200);
        McpSyncClient client = client(token);
        try {
            assertThat(client.listTools().tools()).isNotEmpty();
            AuthFixtures.revoke(store, "mcp-soon-revoked");
            java.time.Duration took = AuthFixtures.await(() -> {
                try {
                    client.listTools();
                    return false;
                } catch (RuntimeException refused) {
                    return true;
                }
            });
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        } finally {
            client.close();
        }
    }

    @Test
    void aSessionBelongsToTheCredentialThatOpenedIt() {
        HttpResponse<String> init = send("POST", base() + "/mcp", JwtAuthTest.initialize(), "Content-Type",
                "application/json", "Accept", "application/json, text/event-stream", "Authorization", "Bearer " + reader);
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}";

        HttpResponse<String> other = send("POST", base() + "/mcp", list, "Content-Type", "application/json", "Accept",
                "application/json, text/event-stream", "Authorization", "Bearer " + writer, "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-11-25");
        HttpResponse<String> own = send("POST", base() + "/mcp", list, "Content-Type", "application/json", "Accept",
                "application/json, text/event-stream", "Authorization", "Bearer " + reader, "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-11-25");

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(own.statusCode()).isEqualTo(200);
    }
}
