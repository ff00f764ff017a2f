package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After repeated Prefect failures the breaker opens: callers get 503 with Retry-After at once and Prefect is left
 * alone; after the open wait one trial call goes through, and when it succeeds the breaker closes again.
 * Settings: one attempt per call, a window of 4 calls, open for 1 second.
 */
class CircuitBreakerTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
            .property("prefect.retry.max-attempts", "1")
            .property("camel.resilience4j.sliding-window-size", "4")
            .property("camel.resilience4j.minimum-number-of-calls", "4")
            .property("camel.resilience4j.failure-rate-threshold", "50")
            .property("camel.resilience4j.wait-duration-in-open-state", "1")
            .property("camel.resilience4j.permitted-number-of-calls-in-half-open-state", "1");

    private final FakePrefect prefect = facade.prefect();

    private HttpResponse<String> listTags() {
        return facade.client().get(FACADE_WORKSPACE + "/tags");
    }

    @Test
    void opensAfterRepeatedFailuresAndClosesAfterRecovery() {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));
        for (int i = 0; i < 3; i++) {
            assertProblem(listTags(), 502, null);
        }
        long openedAt = System.nanoTime(); // the fourth failure opens the breaker
        assertProblem(listTags(), 502, null);
        assertThat(prefect.requestCount()).isEqualTo(4);

        long askedAt = System.nanoTime();
        HttpResponse<String> whileOpen = listTags();
        long answeredInMs = (System.nanoTime() - askedAt) / 1_000_000;

        assertProblem(whileOpen, 503, null);
        assertThat(whileOpen.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answeredInMs).as("answered at once").isLessThan(1000);
        assertThat(prefect.requestCount()).as("Prefect is left alone while open").isEqualTo(4);

        prefect.reset();
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"results\":[],\"count\":0,\"limit\":10,\"pages\":0,\"page\":1}")));
        HttpResponse<String> answer = listTags();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (answer.statusCode() == 503 && System.nanoTime() < deadline) {
            assertThat(prefect.requestCount()).as("no call reaches Prefect while open").isZero();
            pause(50);
            answer = listTags();
        }
        long closedAfterMs = (System.nanoTime() - openedAt) / 1_000_000;

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(closedAfterMs).as("stayed open for the configured second").isGreaterThanOrEqualTo(950);
        assertThat(prefect.requestCount()).as("one trial call in half-open state").isEqualTo(1);
        assertThat(listTags().statusCode()).as("closed again").isEqualTo(200);
        assertThat(prefect.requestCount()).isEqualTo(2);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
