package io.prefectcamel.kamelets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The action Kamelets, each alone behind a direct endpoint, against WireMock stubs of the Prefect operation. */
class PrefectActionsTest {

    static final String A = "11111111-1111-4111-8111-111111111111";
    static final String W = "22222222-2222-4222-8222-222222222222";
    static final String WS = "/api/accounts/" + A + "/workspaces/" + W;
    static final WireMockServer prefect = new WireMockServer(options().dynamicPort());

    KameletHarness harness;

    @BeforeAll
    static void start() {
        prefect.start();
    }

    @AfterAll
    static void stop() {
        prefect.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        prefect.resetAll();
        StringBuilder routes = new StringBuilder();
        for (String[] r : new String[][] {
                {"read", "prefect-read-events-action", "&workspaceId=" + W},
                {"read-account", "prefect-read-events-action", "&limit=200"},
                {"count", "prefect-count-events-action", "&workspaceId=" + W},
                {"flow-run", "prefect-flow-run-events-action", "&workspaceId=" + W},
                {"tags", "prefect-list-tags-action", "&workspaceId=" + W},
                {"delete-tag", "prefect-delete-tag-action", "&workspaceId=" + W}}) {
            routes.append("""
                    - route:
                        from:
                          uri: direct:%s
                          steps:
                            - to: "kamelet:%s?apiKey=pnu_k&apiUrl=%s&accountId=%s%s"
                    """.formatted(r[0], r[1], prefect.baseUrl(), A, r[2]));
        }
        harness = new KameletHarness(routes.toString());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void readEventsReadsAPageAndThenTheNextOne() throws Exception {
        String next = prefect.baseUrl() + WS + "/events/filter/next?page-token=t1";
        prefect.stubFor(post(WS + "/events/filter").willReturn(okJson(
                "{\"events\":[{\"id\":\"e1\"}],\"total\":2,\"next_page\":\"" + next + "\"}")));
        prefect.stubFor(get(WS + "/events/filter/next?page-token=t1").willReturn(okJson(
                "{\"events\":[{\"id\":\"e2\"}],\"total\":2,\"next_page\":null}")));

        Exchange first = harness.request("direct:read", "{\"filter\":{\"event\":{\"prefix\":[\"prefect.flow-run.\"]}}}", Map.of());
        assertThat(first.getException()).isNull();
        assertThat(first.getMessage().getBody(String.class)).contains("\"e1\"");
        assertThat(first.getMessage().getHeader("PrefectNextPage")).isEqualTo(next);
        assertThat(first.getMessage().getHeader("PrefectTotal", Integer.class)).isEqualTo(2);

        Exchange second = harness.request("direct:read", null, Map.of("PrefectNextPage", next));
        assertThat(second.getException()).isNull();
        assertThat(second.getMessage().getBody(String.class)).contains("\"e2\"");
        assertThat(second.getMessage().getHeader("PrefectNextPage")).isNull();

        prefect.verify(postRequestedFor(urlEqualTo(WS + "/events/filter"))
                .withHeader("Authorization", equalTo("Bearer pnu_k"))
                .withRequestBody(equalToJson("{\"filter\":{\"event\":{\"prefix\":[\"prefect.flow-run.\"]}},\"limit\":50}")));
        prefect.verify(getRequestedFor(urlEqualTo(WS + "/events/filter/next?page-token=t1")));
    }

    @Test
    void readEventsWithoutAWorkspaceReadsTheAccount() throws Exception {
        prefect.stubFor(post("/api/accounts/" + A + "/events/filter").willReturn(okJson("{\"events\":[],\"total\":0,\"next_page\":null}")));
        Exchange out = harness.request("direct:read-account", "", Map.of());
        assertThat(out.getException()).isNull();
        prefect.verify(postRequestedFor(urlEqualTo("/api/accounts/" + A + "/events/filter")).withRequestBody(equalToJson("{\"limit\":200}")));
    }

    @Test
    void countEventsCountsByTheHeadersCountable() throws Exception {
        prefect.stubFor(post(WS + "/events/count-by/day").willReturn(okJson("[{\"value\":\"2026-01-01\",\"label\":\"2026-01-01\",\"count\":3}]")));
        Exchange out = harness.request("direct:count", "{\"filter\":{}}", Map.of("PrefectCountable", "day"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).contains("\"count\":3");
        prefect.verify(postRequestedFor(urlEqualTo(WS + "/events/count-by/day"))
                .withRequestBody(equalToJson("{\"filter\":{},\"time_unit\":\"day\",\"time_interval\":1}")));
    }

    @Test
    void countEventsByDefaultCountsByEventName() throws Exception {
        prefect.stubFor(post(WS + "/events/count-by/event").willReturn(okJson("[]")));
        assertThat(harness.request("direct:count", null, Map.of()).getException()).isNull();
        prefect.verify(postRequestedFor(urlEqualTo(WS + "/events/count-by/event")));
    }

    @Test
    void flowRunEventsReadsTheHeadersFlowRunAndTakesA304AsAnAnswer() throws Exception {
        String run = "33333333-3333-4333-8333-333333333333";
        String url = WS + "/flow_runs/" + run + "/events?order=DESC&with_task_runs=true";
        prefect.stubFor(get(url).withHeader("If-None-Match", equalTo("12")).willReturn(aResponse().withStatus(304)));
        prefect.stubFor(get(WS + "/flow_runs/" + run + "/events?offset=10&order=DESC&with_task_runs=true")
                .willReturn(okJson("[{\"id\":\"e11\"}]")));

        Exchange notModified = harness.request("direct:flow-run", null, Map.of("PrefectFlowRunId", run, "PrefectIfNoneMatch", "12"));
        assertThat(notModified.getException()).isNull();
        assertThat(notModified.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(304);

        Exchange page = harness.request("direct:flow-run", null, Map.of("PrefectFlowRunId", run, "PrefectOffset", 10));
        assertThat(page.getException()).isNull();
        assertThat(page.getMessage().getBody(String.class)).contains("e11");

        Exchange noRun = harness.request("direct:flow-run", null, Map.of());
        assertThat(noRun.getException()).hasMessageContaining("PrefectFlowRunId");
    }

    @Test
    void listTagsReadsTheHeadersPageAndSearch() throws Exception {
        prefect.stubFor(get(WS + "/tags?search=nightly%20batch&page=2&sort=LAST_SEEN_DESC").willReturn(okJson(
                "{\"results\":[{\"name\":\"nightly batch\"}],\"count\":1,\"limit\":10,\"pages\":2,\"page\":2}")));
        Exchange out = harness.request("direct:tags", null, Map.of("PrefectPage", 2, "PrefectTagSearch", "nightly batch"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).contains("nightly batch");
    }

    @Test
    void deleteTagDeletesTheTagTheBodyOrTheHeaderNames() throws Exception {
        prefect.stubFor(delete(urlEqualTo(WS + "/tags?tag=nightly%20batch")).willReturn(aResponse().withStatus(204)));
        prefect.stubFor(delete(urlEqualTo(WS + "/tags?tag=a%26b")).willReturn(aResponse().withStatus(204)));

        Exchange byBody = harness.request("direct:delete-tag", "nightly batch\n", Map.of());
        assertThat(byBody.getException()).isNull();
        assertThat(byBody.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(204);
        Exchange byHeader = harness.request("direct:delete-tag", "ignored", Map.of("PrefectTag", "a&b"));
        assertThat(byHeader.getException()).isNull();

        prefect.verify(deleteRequestedFor(urlEqualTo(WS + "/tags?tag=nightly%20batch")).withHeader("Authorization", equalTo("Bearer pnu_k")));
        prefect.verify(deleteRequestedFor(urlEqualTo(WS + "/tags?tag=a%26b")));
        assertThat(harness.request("direct:delete-tag", "", Map.of()).getException()).hasMessageContaining("PrefectTag");
    }

    @Test
    void aFailureOfPrefectIsAnException() throws Exception {
        prefect.stubFor(post(WS + "/events/filter").willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":[{\"loc\":[\"body\",\"limit\"],\"msg\":\"too big\",\"type\":\"x\"}]}")));
        Exchange out = harness.request("direct:read", "{\"limit\":500}", Map.of());
        assertThat(out.getException()).hasMessageContaining("HTTP 422").hasMessageContaining("too big");
    }
}
