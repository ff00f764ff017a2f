package io.prefectcamel.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.auth.AuthFixtures.EMPTY_PAGE;
import static io.prefectcamel.auth.AuthFixtures.FACADE_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.OTHER_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.bearer;
import static io.prefectcamel.auth.AuthFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.mcp.McpServerService;
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
 * facade.auth.mode=jwt with real signed JWTs (RS256 and ES256 keys made here with Nimbus, their JWKS served over HTTP
 * on loopback), over REST and over MCP (the SDK's client), with WireMock as Prefect.
 */
@ExtendWith(KeyLeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private AuthFixtures.Issuer idp;
    private FakePrefect prefect;
    private ServiceUnderTest service;

    @BeforeAll
    void start() {
        idp = new AuthFixtures.Issuer();
        prefect = FakePrefect.start();
        service = ServiceUnderTest.builder().prefect(prefect.url(), TestKey.VALUE)
                .properties(io.prefectcamel.testing.FacadeUnderTest.TEST_DEFAULTS)
                .properties(idp.settings())
                .property("facade.auth.rate-limit.per-second", "1000")
                .property("mcp.enabled", "true")
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
            idp.close();
        }
    }

    @BeforeEach
    void reset() {
        prefect.reset();
        prefect.stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));
    }

    private HttpResponse<String> filter(String jwt) {
        return send("POST", service.baseUrl() + FACADE_WORKSPACE + "/events/filter", "{}", "Content-Type",
                "application/json", "Authorization", "Bearer " + jwt);
    }

    private String mcpUrl() {
        return "http://127.0.0.1:" + service.camelContext().hasService(McpServerService.class).getPort();
    }

    @Test
    void rs256AndEs256TokensWithTheScopeAreAccepted() {
        assertThat(filter(idp.rs256(idp.claims("alice", "events:read").build())).statusCode()).isEqualTo(200);
        assertThat(filter(idp.es256(idp.claims("bob", "events:read events:write").build())).statusCode()).isEqualTo(200);
        assertThat(prefect.requestCount()).isEqualTo(2);
        assertThat(prefect.requests().get(0).getHeader("Authorization")).isEqualTo("Bearer " + TestKey.VALUE);
    }

    @Test
    void badJwtsAre401AndNeverReachPrefect() throws Exception {
        Date past = Date.from(Instant.now().minusSeconds(600));
        String expired = idp.rs256(idp.claims("alice", "events:read").expirationTime(past).build());
        String otherAudience = idp.rs256(idp.claims("alice", "events:read").audience("someone-else").build());
        String otherIssuer = idp.rs256(idp.claims("alice", "events:read").issuer("https://evil.example/").build());
        String unknownKey = idp.unpublishedKey(idp.claims("alice", "events:read").build());
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                idp.claims("alice", "events:read").build());
        hs.sign(new MACSigner("0123456789abcdef0123456789abcdef0123456789abcdef"));
        String unsigned = new PlainJWT(new PlainHeader(), idp.claims("alice", "events:read").build()).serialize();

        for (String jwt : List.of(expired, otherAudience, otherIssuer, unknownKey, hs.serialize(), unsigned, "a.b.c")) {
            HttpResponse<String> answer = filter(jwt);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(answer.body()).doesNotContain(jwt);
        }
        assertThat(JSON.readTree(filter(expired).body()).path("detail").asText()).contains("expired");
        assertThat(prefect.requestCount()).isZero();
    }

    @Test
    void scopesAndRestrictionsComeFromTheClaims() throws Exception {
        String readOnly = idp.rs256(idp.claims("carol", "events:read").build());
        String elsewhere = idp.es256(idp.claims("dave", "events:read")
                .claim("prefect_workspaces", List.of(OTHER_WORKSPACE)).build());
        String here = idp.es256(idp.claims("erin", "events:read")
                .claim("prefect_workspaces", List.of(WORKSPACE)).build());

        HttpResponse<String> create = send("POST", service.baseUrl() + FACADE_WORKSPACE + "/events", "[]",
                "Content-Type", "application/json", "Authorization", "Bearer " + readOnly);

        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(create.body()).path("detail").asText()).contains("events:write");
        assertThat(filter(elsewhere).statusCode()).isEqualTo(403);
        assertThat(prefect.requestCount()).isZero();
        assertThat(filter(here).statusCode()).isEqualTo(200);
    }

    @Test
    void mcpWithoutCredentialsPointsAtTheProtectedResourceMetadata() throws Exception {
        HttpResponse<String> answer = send("POST", mcpUrl() + "/mcp", initialize(), "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream");

        assertThat(answer.statusCode()).isEqualTo(401);
        String challenge = answer.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer").contains("resource_metadata=\"" + mcpUrl()
                + "/.well-known/oauth-protected-resource\"");

        HttpResponse<String> metadata = send("GET", mcpUrl() + "/.well-known/oauth-protected-resource", null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(metadata.body());
        assertThat(doc.path("resource").asText()).isEqualTo(mcpUrl() + "/mcp");
        assertThat(doc.path("authorization_servers").get(0).asText()).isEqualTo("https://idp.example.test");
        assertThat(doc.path("scopes_supported").toString()).contains("events:read");
    }

    @Test
    void anMcpClientWithAJwtSeesAndCallsOnlyWhatItsScopesAllow() {
        String jwt = idp.rs256(idp.claims("agent", "events:read").build());
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(mcpUrl()).endpoint("/mcp")
                .httpRequestCustomizer((builder, method, uri, body, context) -> builder.header("Authorization", "Bearer " + jwt))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(tools).contains("read-workspace-events").doesNotContain("create-workspace-events",
                    "delete-workspace-tag");

            McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read-workspace-events", Map.of()));
            assertThat(read.isError()).as(String.valueOf(read.content())).isNotEqualTo(Boolean.TRUE);
            assertThat(prefect.requestCount()).isOne();

            McpSchema.CallToolResult write = client.callTool(new McpSchema.CallToolRequest("create-workspace-events",
                    Map.of("events", List.of())));
            assertThat(write.isError()).isTrue();
            assertThat(prefect.requestCount()).isOne();
        } finally {
            client.closeGracefully();
        }
    }

    static String initialize() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}";
    }
}
