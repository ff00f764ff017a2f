package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.prefectcamel.gateway.Fixtures.EMPTY_PAGE;
import static io.prefectcamel.gateway.Fixtures.EVENTS;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the Prefect call rides out trouble: 429 is retried after Retry-After (seconds or a date) for every
 * operation; 5xx, connection failures and timeouts for reads, updates and deletes, and for events creates (Prefect
 * de-duplicates events by id, so the same events sent again are stored once), never for other creates; what cannot be
 * retried becomes a problem answer.
 * Settings: 3 attempts, 10 ms backoff, single waits up to 3 s, 2.5 s for all waits and attempts of one request,
 * a 400 ms response timeout.
 */
class RetriesTest {

    private static final int RESPONSE_TIMEOUT_MS = 400;

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
            .property("prefect.response-timeout-ms", Integer.toString(RESPONSE_TIMEOUT_MS))
            .property("prefect.retry.budget-ms", "2500");

    private static final String RATE_LIMITED = "{\"detail\":\"Rate limit exceeded\"}";

    private final FakePrefect prefect = facade.prefect();
    private final FacadeClient client = facade.client();

    /** Prefect answers {@code first}, then 200 with an empty page. */
    private void prefectAnswersThenRecovers(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        prefect.stubFor(any(anyUrl()).inScenario("recovery").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("recovered"));
        prefect.stubFor(any(anyUrl()).inScenario("recovery").whenScenarioStateIs("recovered").willReturn(then));
    }

    private static ResponseDefinitionBuilder page() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(EMPTY_PAGE);
    }

    private static ResponseDefinitionBuilder rateLimited(String retryAfter) {
        ResponseDefinitionBuilder answer = aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                .withBody(RATE_LIMITED);
        return retryAfter == null ? answer : answer.withHeader("Retry-After", retryAfter);
    }

    private HttpResponse<String> readEvents() {
        return client.post(FACADE_ACCOUNT + "/events/filter", "{\"limit\":10}");
    }

    @Test
    void aRateLimitedReadIsRetriedAfterRetryAfterSeconds() {
        prefectAnswersThenRecovers(rateLimited("1"), page());

        long started = System.nanoTime();
        HttpResponse<String> answer = readEvents();
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(EMPTY_PAGE);
        assertThat(prefect.requestCount()).isEqualTo(2);
        assertThat(tookMs).as("waited out Retry-After: 1").isGreaterThanOrEqualTo(900);
    }

    @Test
    void aRateLimitedReadIsRetriedAfterAnHttpDate() {
        Instant when = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        prefectAnswersThenRecovers(rateLimited(DateTimeFormatter.RFC_1123_DATE_TIME.format(when.atOffset(ZoneOffset.UTC))), page());

        HttpResponse<String> answer = readEvents();

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(prefect.requestCount()).isEqualTo(2);
        assertThat(Instant.now()).as("waited until the Retry-After date").isAfterOrEqualTo(when.minusMillis(100));
    }

    @Test
    void aRateLimitedCreateIsRetriedToo() {
        prefectAnswersThenRecovers(rateLimited("0"), aResponse().withStatus(204));

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events", EVENTS);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(prefect.requests()).hasSize(2).allSatisfy(r -> assertThat(r.getBodyAsString()).isEqualTo(EVENTS));
    }

    @Test
    void whenTheAttemptsRunOutTheCallerGets429WithRetryAfter() {
        prefect.stubFor(any(anyUrl()).willReturn(rateLimited(null)));

        HttpResponse<String> answer = readEvents();

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(answer.body()).isEqualTo(RATE_LIMITED);
        assertThat(prefect.requestCount()).isEqualTo(3);
    }

    @Test
    void whenTheTimeBudgetRunsOutTheCallerGets429WithRetryAfter() {
        prefect.stubFor(any(anyUrl()).willReturn(rateLimited("2")));

        HttpResponse<String> answer = readEvents();

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(prefect.requestCount()).as("a second wait of 2 s would pass the 2.5 s budget").isEqualTo(2);
    }

    @Test
    void aRetryAfterBeyondTheLongestWaitIsHandedToTheCaller() {
        prefect.stubFor(any(anyUrl()).willReturn(rateLimited("120")));

        long started = System.nanoTime();
        HttpResponse<String> answer = readEvents();

        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("120");
        assertThat(prefect.requestCount()).isEqualTo(1);
        assertThat((System.nanoTime() - started) / 1_000_000).as("answered without waiting").isLessThan(2000);
    }

    @Test
    void a503OnAReadIsRetried() {
        prefectAnswersThenRecovers(aResponse().withStatus(503).withBody("upstream busy"), page());

        HttpResponse<String> answer = readEvents();

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(EMPTY_PAGE);
        assertThat(prefect.requestCount()).isEqualTo(2);
    }

    /** Every request Prefect got was the events create with the same body: the same events, the same ids. */
    private void assertSameEventsSent(int times) {
        assertThat(prefect.requests()).hasSize(times).allSatisfy(request -> {
            assertThat(request.getMethod().getName()).isEqualTo("POST");
            assertThat(request.getBodyAsString()).isEqualTo(EVENTS);
        });
    }

    @Test
    void a503OnAnEventsCreateIsRetriedWithTheSameIds() {
        prefectAnswersThenRecovers(aResponse().withStatus(503).withBody("upstream busy"), aResponse().withStatus(204));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events", EVENTS);

        assertThat(answer.statusCode()).isEqualTo(204);
        assertSameEventsSent(2);
    }

    @Test
    void anEventsCreateThatKeepsGetting503SaysResendingTheSameIdsIsSafe() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("upstream busy")));

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events", EVENTS);

        assertProblem(answer, 503, null);
        assertThat(answer.body()).as("the outcome stays unknown, and resending is safe").contains("unknown")
                .contains("same ids").contains("safe");
        assertSameEventsSent(3);
    }

    @Test
    void a503OnACreateOfAnythingElseIsNotRetried() {
        prefectAnswersThenRecovers(aResponse().withStatus(503).withBody("upstream busy"), aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + Fixtures.WORKSPACE + "\"}"));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/teams", "{\"name\":\"pipelines\"}");

        assertProblem(answer, 503, null);
        assertThat(answer.body()).as("an ambiguous create says so").contains("outcome is unknown").contains("not done twice");
        assertThat(prefect.requestCount()).isEqualTo(1);
    }

    @Test
    void aConnectionResetBecomes502AfterTheAttempts() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> answer = readEvents();

        assertProblem(answer, 502, null);
        assertThat(prefect.requestCount()).isEqualTo(3);
    }

    @Test
    void aConnectionResetOnAnEventsCreateIsRetriedWithTheSameIds() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events", EVENTS);

        assertProblem(answer, 502, null);
        assertThat(answer.body()).as("the outcome stays unknown, and resending is safe").contains("unknown")
                .contains("same ids").contains("safe");
        assertSameEventsSent(3);
    }

    @Test
    void aConnectionResetOnACreateOfAnythingElseIsNotRetried() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/teams", "{\"name\":\"pipelines\"}");

        assertProblem(answer, 502, null);
        assertThat(answer.body()).as("an ambiguous create says so").contains("may or may not have been carried out");
        assertThat(prefect.requestCount()).isEqualTo(1);
    }

    @Test
    void aSlowPrefectBecomes504() {
        prefect.stubFor(any(anyUrl()).willReturn(page().withFixedDelay(RESPONSE_TIMEOUT_MS * 4)));

        HttpResponse<String> answer = facade.client().get(FACADE_WORKSPACE + "/tags");

        assertProblem(answer, 504, null);
    }

    @Test
    void aSlowEventsCreateIsRetriedWithTheSameIdsAndThen504SaysResendingIsSafe() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204).withFixedDelay(RESPONSE_TIMEOUT_MS * 4)));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events", EVENTS);

        assertProblem(answer, 504, null);
        assertThat(answer.body()).as("the outcome stays unknown, and resending is safe").contains("unknown")
                .contains("same ids").contains("safe");
        assertSameEventsSent(3);
    }

    @Test
    void aSlowCreateOfAnythingElseBecomes504WithoutARetry() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201).withFixedDelay(RESPONSE_TIMEOUT_MS * 4)));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/teams", "{\"name\":\"pipelines\"}");

        assertProblem(answer, 504, null);
        assertThat(answer.body()).as("an ambiguous create says so").contains("may or may not have been carried out");
        assertThat(prefect.requestCount()).isEqualTo(1);
    }

    @Test
    void anEventWithoutAnIdIsRefusedBeforePrefectSoEveryEventsCreateSentCarriesIds() {
        String withoutId = EVENTS.replace("\"id\":\"2f1e0d9c-8b7a-4c5d-9e6f-0a1b2c3d4e5f\",", "");

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events", withoutId);

        assertProblem(answer, 400, "body[0].id");
        assertThat(prefect.requestCount()).isZero();
    }
}
