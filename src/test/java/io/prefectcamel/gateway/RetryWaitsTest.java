package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls that wait out a Retry-After do not keep other requests waiting: more calls than Vert.x's default 20 worker
 * threads all wait at once, and the OpenAPI document is served while every one of them is still waiting.
 */
class RetryWaitsTest {

    private static final int WAITING_CALLS = 30;

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
            .property("prefect.retry.max-attempts", "2");

    private final FakePrefect prefect = facade.prefect();

    @Test
    void aCallWaitingOutRetryAfterDoesNotBlockOtherRequests() throws Exception {
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":\"Rate limit exceeded\"}")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITING_CALLS; i++) {
            waiting.add(http.sendAsync(HttpRequest.newBuilder(URI.create(facade.baseUrl() + FACADE_ACCOUNT + "/events/filter"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"limit\":" + (i + 1) + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (callsSeen() < WAITING_CALLS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(callsSeen()).as("every call made its first attempt").isEqualTo(WAITING_CALLS);

        HttpResponse<String> other = facade.client().get("/v1/openapi.json");

        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(waiting).as("answered while every rate-limited call was still waiting").noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<HttpResponse<String>> call : waiting) {
            assertThat(call.get().statusCode()).isEqualTo(429);
        }
        assertThat(prefect.requestCount()).as("two attempts each").isEqualTo(2 * WAITING_CALLS);
    }

    /** How many of the calls reached Prefect at least once (each sends its own body). */
    private long callsSeen() {
        return prefect.requests().stream().map(r -> r.getBodyAsString()).distinct().count();
    }
}
