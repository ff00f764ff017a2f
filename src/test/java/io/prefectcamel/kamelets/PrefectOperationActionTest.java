package io.prefectcamel.kamelets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.prefectcamel.call.PrefectOperations;
import io.prefectcamel.testing.OperationCatalog;
import io.prefectcamel.testing.OperationCatalog.Entry;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generic action, {@code prefect-operation-action}: any catalog operation, against WireMock. */
class PrefectOperationActionTest {

    static final WireMockServer prefect = new WireMockServer(options().dynamicPort());
    static final String ACCOUNT = "0b8e2d6c-3f1a-4c55-9a8e-1f2d3c4b5a69";
    static final String WORKSPACE = "5f0c1a2b-7d3e-4f60-8a91-b2c3d4e5f607";

    @BeforeAll
    static void start() {
        prefect.start();
    }

    @AfterAll
    static void stop() {
        prefect.stop();
    }

    @BeforeEach
    void reset() {
        prefect.resetAll();
    }

    private KameletHarness harness(String operation) throws Exception {
        return new KameletHarness("""
                - route:
                    from:
                      uri: direct:call
                      steps:
                        - to: "kamelet:prefect-operation-action?apiKey=pnu_test&apiUrl=%s&operation=%s&accountId=%s&workspaceId=%s&maxAttempts=3"
                """.formatted(prefect.baseUrl(), operation, ACCOUNT, WORKSPACE));
    }

    static Stream<Entry> operations() {
        return OperationCatalog.prefectOperations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void callsTheCatalogsPrefectOperation(Entry entry) throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{}")));
        Map<String, Object> headers = new HashMap<>();
        String expected = entry.prefectPath().replace("{account_id}", ACCOUNT).replace("{workspace_id}", WORKSPACE);
        for (String p : PrefectOperations.operation(entry.id()).pathParameters()) {
            if (!p.equals("account_id") && !p.equals("workspace_id")) {
                String value = p.equals("countable") ? "event" : UUID.randomUUID().toString();
                headers.put(PrefectOperations.header(p), value);
                expected = expected.replace("{" + p + "}", value);
            }
        }
        for (String q : PrefectOperations.operation(entry.id()).query()) {
            if (q.endsWith("!")) { // a required query parameter
                String name = q.substring(0, q.length() - 1);
                headers.put(PrefectOperations.header(name), "x");
                expected += (expected.contains("?") ? "&" : "?") + name + "=x";
            }
        }
        headers.put("Authorization", "Bearer the-callers-own");
        try (KameletHarness h = harness(entry.tool())) {
            Exchange out = h.request("direct:call", entry.prefectMethod().matches("POST|PUT|PATCH") ? "{}" : null, headers);
            assertThat(out.getException()).isNull();
        }
        LoggedRequest request = prefect.getAllServeEvents().get(0).getRequest();
        assertThat(prefect.getAllServeEvents()).hasSize(1);
        assertThat(request.getMethod().getName()).isEqualTo(entry.prefectMethod());
        assertThat(request.getUrl()).isEqualTo(expected);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer pnu_test");
    }

    @Test
    void provisionsABotAndAnswersPrefectsBody() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\": \"" + UUID.randomUUID() + "\", \"name\": \"pipeline\"}")));
        try (KameletHarness h = harness("createBot")) {
            Exchange out = h.request("direct:call", "{\"name\": \"pipeline\"}", Map.of());
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(201);
            assertThat(out.getMessage().getBody(String.class)).contains("\"pipeline\"");
        }
        prefect.verify(1, postRequestedFor(urlEqualTo("/api/accounts/" + ACCOUNT + "/bots/"))
                .withRequestBody(equalToJson("{\"name\": \"pipeline\"}"))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void queryParametersComeFromHeadersAndTheWorkspaceFromAHeaderWhenGiven() throws Exception {
        String other = UUID.randomUUID().toString();
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"results\": []}")));
        try (KameletHarness h = harness("list-tags")) {
            Exchange out = h.request("direct:call", null, Map.of("PrefectWorkspaceId", other, "PrefectSearch", "env prod",
                    "PrefectLimit", "5"));
            assertThat(out.getException()).isNull();
        }
        assertThat(prefect.getAllServeEvents().get(0).getRequest().getUrl())
                .isEqualTo("/api/accounts/" + ACCOUNT + "/workspaces/" + other + "/tags?search=env%20prod&limit=5");
    }

    @Test
    void aMissingOrMalformedIdIsRefusedBeforeAnythingIsSent() throws Exception {
        try (KameletHarness h = harness("readBot")) {
            Exchange missing = h.request("direct:call", null, Map.of());
            assertThat(missing.getException()).hasMessageContaining("PrefectId");
            Exchange malformed = h.request("direct:call", null, Map.of("PrefectId", "../../me"));
            assertThat(malformed.getException()).hasMessageContaining("must be a UUID");
        }
        try (KameletHarness h = harness("noSuchOperation")) {
            assertThat(h.request("direct:call", null, Map.of()).getException()).hasMessageContaining("No Prefect operation");
        }
        assertThat(prefect.getAllServeEvents()).isEmpty();
    }

    @Test
    void aCreateIsNotRetriedOnAServerErrorButAReadIs() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        try (KameletHarness h = harness("createTeam")) {
            assertThat(h.request("direct:call", "{\"name\": \"Data Engineering\"}", Map.of()).getException()).isNotNull();
        }
        assertThat(prefect.getAllServeEvents()).as("a create reaches Prefect once").hasSize(1);
        prefect.resetRequests();
        try (KameletHarness h = harness("readTeams")) {
            assertThat(h.request("direct:call", "{}", Map.of()).getException()).isNotNull();
        }
        assertThat(prefect.getAllServeEvents()).as("a read is retried (maxAttempts=3)").hasSize(3);
    }
}
