package io.prefectcamel.kamelets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared Prefect call, {@code prefect-api-action}, alone against WireMock. */
class PrefectApiActionTest {

    static final WireMockServer prefect = new WireMockServer(options().dynamicPort());

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

    private KameletHarness harness(String options) throws Exception {
        return new KameletHarness("""
                - route:
                    from:
                      uri: direct:call
                      steps:
                        - to: "kamelet:prefect-api-action?apiKey=pnu_test&apiUrl=%s&retryBackoff=50%s"
                """.formatted(prefect.baseUrl(), options.contains("maxAttempts") ? options : options + "&maxAttempts=3"));
    }

    @Test
    void authenticatesWithTheKeyAndNothingTheCallerSent() throws Exception {
        prefect.stubFor(post("/api/accounts/a/events/filter").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"events\":[],\"total\":0,\"next_page\":null}")));
        try (KameletHarness h = harness("")) {
            Exchange out = h.request("direct:call", "{\"limit\":5}", Map.of(
                    "PrefectPath", "/api/accounts/a/events/filter",
                    "Authorization", "Bearer the-callers-own-token",
                    "CamelHttpPath", "/elsewhere",
                    "CamelHttpMethod", "DELETE",
                    "X-Caller", "leak"));
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
            assertThat(out.getMessage().getBody(String.class)).contains("\"total\":0");
            assertThat(out.getMessage().getHeaders()).doesNotContainKey("Authorization");
        }
        prefect.verify(1, postRequestedFor(urlEqualTo("/api/accounts/a/events/filter"))
                .withHeader("Authorization", equalTo("Bearer pnu_test"))
                .withHeader("X-Caller", absent())
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void aCookiePrefectSetsIsNotSentWithLaterCalls() throws Exception {
        // the calls of every route and credential of an integration share the endpoint: no state may pass between them
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Set-Cookie", "session=one-callers-session; Path=/; Max-Age=3600").withBody("{}")));
        try (KameletHarness h = harness("")) {
            for (int i = 0; i < 2; i++) {
                Exchange out = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
                assertThat(out.getException()).isNull();
            }
        }
        prefect.verify(2, getRequestedFor(urlEqualTo("/api/x")));
        prefect.verify(2, getRequestedFor(urlEqualTo("/api/x")).withoutHeader("Cookie"));
    }

    @Test
    void waitsOutA429RetryAfterGivenInSeconds() throws Exception {
        stubOneThrottle("1");
        try (KameletHarness h = harness("")) {
            long t0 = System.nanoTime();
            Exchange out = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
            assertThat(out.getMessage().getHeader("PrefectAttempts", Integer.class)).isEqualTo(2);
            assertThat(waited).isGreaterThanOrEqualTo(950);
        }
        prefect.verify(2, getRequestedFor(urlEqualTo("/api/x")));
    }

    @Test
    void waitsOutA429RetryAfterGivenAsAnHttpDate() throws Exception {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        stubOneThrottle(inTwoSeconds);
        try (KameletHarness h = harness("")) {
            long t0 = System.nanoTime();
            Exchange out = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
            assertThat(waited).isGreaterThanOrEqualTo(900).isLessThan(4000);
        }
        prefect.verify(2, getRequestedFor(urlEqualTo("/api/x")));
    }

    @Test
    void aRetryAfterBeyondTheBoundFailsAtOnce() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        try (KameletHarness h = harness("&maxRetryAfter=5")) {
            long t0 = System.nanoTime();
            Exchange out = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
            assertThat(out.getException()).hasMessageContaining("HTTP 429");
        }
        prefect.verify(1, getRequestedFor(urlEqualTo("/api/x")));
    }

    @Test
    void aWaitThatWouldPassTheRetryBudgetFailsAtOnce() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
        try (KameletHarness h = harness("&retryBudget=1500")) {
            long t0 = System.nanoTime();
            Exchange out = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1500);
            assertThat(out.getException()).hasMessageContaining("HTTP 429").hasMessageContaining("after 1 attempts");
        }
        prefect.verify(1, getRequestedFor(urlEqualTo("/api/x")));
    }

    @Test
    void retriesA503OnlyWhenTheCallIsIdempotent() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        try (KameletHarness h = harness("&idempotent=false")) {
            Exchange out = h.request("direct:call", "[]", Map.of("PrefectPath", "/api/create"));
            assertThat(out.getException()).hasMessageContaining("HTTP 503");
        }
        prefect.verify(1, postRequestedFor(urlEqualTo("/api/create")));
        prefect.resetRequests();
        try (KameletHarness h = harness("")) {
            Exchange out = h.request("direct:call", "{}", Map.of("PrefectPath", "/api/read"));
            assertThat(out.getException()).hasMessageContaining("HTTP 503");
        }
        prefect.verify(3, postRequestedFor(urlEqualTo("/api/read")));
    }

    @Test
    void aConnectionFailureIsReportedAsAnException() throws Exception {
        try (KameletHarness h = new KameletHarness("""
                - route:
                    from:
                      uri: direct:call
                      steps:
                        - to: "kamelet:prefect-api-action?apiKey=k&apiUrl=http://localhost:1&maxAttempts=2&retryBackoff=10"
                """)) {
            Exchange out = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
            assertThat(out.getException()).hasMessageContaining("failed after 2 attempts");
        }
    }

    @Test
    void sendsAnAbsoluteNextPageLinkToTheConfiguredApiOnly() throws Exception {
        prefect.stubFor(get("/api/accounts/a/events/filter/next?page-token=abc%3D").willReturn(aResponse().withStatus(200).withBody("{}")));
        try (KameletHarness h = harness("")) {
            Exchange out = h.request("direct:call", null,
                    Map.of("PrefectPath", "https://evil.example.com/api/accounts/a/events/filter/next?page-token=abc%3D"));
            assertThat(out.getException()).isNull();
        }
        prefect.verify(1, getRequestedFor(urlEqualTo("/api/accounts/a/events/filter/next?page-token=abc%3D"))
                .withHeader("Authorization", equalTo("Bearer pnu_test")));
    }

    @Test
    void theCircuitBreakerOpensAfterRepeatedServerFailures() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        try (KameletHarness h = harness("&maxAttempts=1")) {
            for (int i = 0; i < 5; i++) {
                assertThat(h.request("direct:call", null, Map.of("PrefectPath", "/api/x")).getException())
                        .hasMessageContaining("HTTP 500");
            }
            Exchange refused = h.request("direct:call", null, Map.of("PrefectPath", "/api/x"));
            assertThat(refused.getException()).hasMessageContaining("circuit breaker is open");
        }
        prefect.verify(5, getRequestedFor(urlEqualTo("/api/x")));
    }

    private static void stubOneThrottle(String retryAfter) {
        prefect.stubFor(any(anyUrl()).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", retryAfter))
                .willSetStateTo("open"));
        prefect.stubFor(any(anyUrl()).inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
    }
}
