package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.prefectcamel.gateway.Fixtures.CALLER_HEADERS;
import static io.prefectcamel.gateway.Fixtures.EMPTY_PAGE;
import static io.prefectcamel.gateway.Fixtures.EVENTS;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.FLOW_RUN;
import static io.prefectcamel.gateway.Fixtures.PREFECT_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.PREFECT_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertUpstream;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each of the 11 events operations: the facade sends Prefect exactly the request it should (method, path, query,
 * body, the service's key and nothing of the caller's headers) and hands Prefect's answer back unchanged.
 */
class EventsOperationsTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final String COUNTS = "[{\"value\": \"prefect.flow-run.Completed\", \"label\": \"Completed\", "
            + "\"count\": 3, \"start_time\": \"2026-05-01T00:00:00Z\", \"end_time\": \"2026-05-02T00:00:00Z\"}]";
    private static final String FLOW_RUN_EVENTS = "[{\"id\": \"2f1e0d9c-8b7a-4c5d-9e6f-0a1b2c3d4e5f\", "
            + "\"occurred\": \"2026-05-01T10:00:00Z\", \"event\": \"prefect.flow-run.R\u00e9ussi\", "
            + "\"resource\": {\"prefect.resource.id\": \"prefect.flow-run." + FLOW_RUN + "\"}}]";
    private static final String TAGS = "{\"results\": [{\"name\": \"env:prod\", \"first_seen\": \"2026-04-01T00:00:00Z\", "
            + "\"last_seen\": \"2026-05-01T00:00:00Z\"}], \"count\": 1, \"limit\": 20, \"pages\": 1, \"page\": 2}";

    private final FakePrefect prefect = facade.prefect();
    private final FacadeClient client = facade.client();

    private void prefectAnswers(ResponseDefinitionBuilder answer) {
        prefect.stubFor(any(anyUrl()).willReturn(answer));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static void assertJsonAnswer(HttpResponse<String> answer, String body) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.body()).isEqualTo(body);
    }

    private static void assertNoContentAnswer(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.headers().firstValue("Content-Type")).as("Content-Type of a 204").isEmpty();
    }

    @Test
    void createAccountEventsPostsTheBatch() {
        prefectAnswers(noContent());

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events", EVENTS, CALLER_HEADERS);

        assertNoContentAnswer(answer);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_ACCOUNT + "/events", List.of(), EVENTS);
    }

    @Test
    void aChunkedUploadReachesPrefectWithAContentLength() {
        prefectAnswers(noContent());
        byte[] events = EVENTS.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> answer = client.sendBytes("POST", FACADE_WORKSPACE + "/events",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(events)), "Content-Type", "application/json");

        assertNoContentAnswer(answer);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_WORKSPACE + "/events", List.of(), EVENTS);
    }

    @Test
    void countAccountEventsPostsTheCriteria() {
        prefectAnswers(json(COUNTS));
        String criteria = "{\"time_unit\":\"hour\",\"time_interval\":1.5,\"filter\":{\"event\":{\"prefix\":[\"prefect.flow-run.\"]}}}";

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events/count-by/event", criteria, CALLER_HEADERS);

        assertJsonAnswer(answer, COUNTS);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_ACCOUNT + "/events/count-by/event", List.of(), criteria);
    }

    @Test
    void countWithoutABodySendsAnEmptyObject() {
        prefectAnswers(json(COUNTS));

        HttpResponse<String> answer = client.send("POST", FACADE_ACCOUNT + "/events/count-by/day", (String) null, CALLER_HEADERS);

        assertJsonAnswer(answer, COUNTS);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_ACCOUNT + "/events/count-by/day", List.of(), "{}");
    }

    @Test
    void readAccountEventsPostsTheFilter() {
        prefectAnswers(json(EMPTY_PAGE));
        String filter = "{\"limit\":200,\"filter\":{\"occurred\":{\"since\":\"2026-05-01T00:00:00Z\"}}}";

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events/filter", filter, CALLER_HEADERS);

        assertJsonAnswer(answer, EMPTY_PAGE);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_ACCOUNT + "/events/filter", List.of(), filter);
    }

    @Test
    void readAccountEventsPageGetsThePage() {
        prefectAnswers(json(EMPTY_PAGE));

        HttpResponse<String> answer = client.get(FACADE_ACCOUNT + "/events/filter/next?page-token=tok-123", CALLER_HEADERS);

        assertJsonAnswer(answer, EMPTY_PAGE);
        assertUpstream(prefect.onlyRequest(), "GET", PREFECT_ACCOUNT + "/events/filter/next", List.of("page-token=tok-123"), null);
    }

    @Test
    void createWorkspaceEventsPostsTheBatch() {
        prefectAnswers(noContent());

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events", EVENTS, CALLER_HEADERS);

        assertNoContentAnswer(answer);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_WORKSPACE + "/events", List.of(), EVENTS);
    }

    @Test
    void countWorkspaceEventsPostsTheCriteria() {
        prefectAnswers(json(COUNTS));
        String criteria = "{\"time_unit\":\"day\",\"time_interval\":1.0}";

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events/count-by/resource", criteria, CALLER_HEADERS);

        assertJsonAnswer(answer, COUNTS);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_WORKSPACE + "/events/count-by/resource", List.of(), criteria);
    }

    @Test
    void readWorkspaceEventsPostsTheFilter() {
        prefectAnswers(json(EMPTY_PAGE));
        String filter = "{\"limit\":0}";

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events/filter", filter, CALLER_HEADERS);

        assertJsonAnswer(answer, EMPTY_PAGE);
        assertUpstream(prefect.onlyRequest(), "POST", PREFECT_WORKSPACE + "/events/filter", List.of(), filter);
    }

    @Test
    void readWorkspaceEventsPageGetsThePage() {
        prefectAnswers(json(EMPTY_PAGE));

        HttpResponse<String> answer = client.get(FACADE_WORKSPACE + "/events/filter/next?page-token=tok-456", CALLER_HEADERS);

        assertJsonAnswer(answer, EMPTY_PAGE);
        assertUpstream(prefect.onlyRequest(), "GET", PREFECT_WORKSPACE + "/events/filter/next", List.of("page-token=tok-456"), null);
    }

    @Test
    void getFlowRunEventsPassesTheQueryOn() {
        prefectAnswers(json(FLOW_RUN_EVENTS));

        HttpResponse<String> answer = client.get(FACADE_WORKSPACE + "/flow-runs/" + FLOW_RUN
                + "/events?limit=20&offset=10&order=ASC&with_task_runs=false", CALLER_HEADERS);

        assertJsonAnswer(answer, FLOW_RUN_EVENTS);
        assertUpstream(prefect.onlyRequest(), "GET", PREFECT_WORKSPACE + "/flow_runs/" + FLOW_RUN + "/events",
                List.of("offset=10", "order=ASC", "with_task_runs=false", "limit=20"), null);
    }

    @Test
    void getFlowRunEventsWithIfNoneMatchPassesPrefects304On() {
        prefect.stubFor(any(urlPathEqualTo(PREFECT_WORKSPACE + "/flow_runs/" + FLOW_RUN + "/events"))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "7")));

        HttpResponse<String> answer = client.get(FACADE_WORKSPACE + "/flow-runs/" + FLOW_RUN
                + "/events?offset=0&order=DESC&with_task_runs=true", concat(CALLER_HEADERS, "If-None-Match", "7"));

        assertThat(answer.statusCode()).isEqualTo(304);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.headers().firstValue("ETag")).hasValue("7");
        var upstream = prefect.onlyRequest();
        assertUpstream(upstream, "GET", PREFECT_WORKSPACE + "/flow_runs/" + FLOW_RUN + "/events",
                List.of("offset=0", "order=DESC", "with_task_runs=true"), null);
        assertThat(upstream.getHeader("If-None-Match")).isEqualTo("7");
    }

    @Test
    void listTagsPassesTheQueryOnEncoded() {
        prefectAnswers(json(TAGS));

        HttpResponse<String> answer = client.get(FACADE_WORKSPACE + "/tags?search=env%3Aprod%20%26%20more&page=2&sort=NAME_ASC&limit=20",
                CALLER_HEADERS);

        assertJsonAnswer(answer, TAGS);
        assertUpstream(prefect.onlyRequest(), "GET", PREFECT_WORKSPACE + "/tags",
                List.of("search=env%3Aprod%20%26%20more", "page=2", "sort=NAME_ASC", "limit=20"), null);
    }

    @Test
    void deleteWorkspaceTagSendsTheTag() {
        prefectAnswers(noContent());

        HttpResponse<String> answer = client.delete(FACADE_WORKSPACE + "/tags?tag=caf%C3%A9+100%25", CALLER_HEADERS);

        assertNoContentAnswer(answer);
        assertUpstream(prefect.onlyRequest(), "DELETE", PREFECT_WORKSPACE + "/tags", List.of("tag=caf%C3%A9%20100%25"), null);
    }

    static String[] concat(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
