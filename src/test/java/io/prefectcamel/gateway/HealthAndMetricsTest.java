package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.readJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health and Prometheus metrics (on the REST port in tests; see ServiceUnderTest). */
class HealthAndMetricsTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    @Test
    void healthIsUp() {
        HttpResponse<String> answer = facade.client().get("/observe/health");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(readJson(answer.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountTheRoutesExchanges() {
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson("{\"results\":[],\"count\":0,\"limit\":10,\"pages\":0,\"page\":1}")));
        assertThat(facade.client().get(FACADE_WORKSPACE + "/tags").statusCode()).isEqualTo(200);

        HttpResponse<String> answer = facade.client().get("/observe/metrics");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(answer.body().lines().filter(l -> !l.startsWith("#")))
                .anySatisfy(l -> assertThat(l).startsWith("camel_exchanges_total").contains("routeId=\"listTags\""))
                .anySatisfy(l -> assertThat(l).contains("routeId=\"prefect-call\""))
                // facade.metrics.excluded-routes: the routes between the operation's and the Prefect call are left out
                .noneSatisfy(l -> assertThat(l).containsAnyOf("routeId=\"prefect-attempt\"", "routeId=\"prefect-attempts\"",
                        "routeId=\"prefect-answer\"", "routeId=\"prefect-camel-facade\""))
                // route level only: no context-wide timer that would count a call once per route it passes
                .noneSatisfy(l -> assertThat(l).contains("eventType=\"context\""));
        assertThat(metric(answer.body(), "camel_route_policy_seconds_count", "listTags")).isEqualTo(1.0);
        assertThat(metric(answer.body(), "camel_exchanges_succeeded_total", "listTags")).isEqualTo(1.0);
        assertThat(metric(answer.body(), "camel_exchanges_failed_total", "listTags")).isEqualTo(0.0);

        // each call is timed and counted once on its operation's route and once on prefect-call
        assertThat(facade.client().get(FACADE_WORKSPACE + "/tags").statusCode()).isEqualTo(200);
        String after = facade.client().get("/observe/metrics").body();
        assertThat(metric(after, "camel_route_policy_seconds_count", "listTags")).isEqualTo(2.0);
        assertThat(metric(after, "camel_exchanges_total", "listTags")).isEqualTo(2.0);
        assertThat(metric(after, "camel_route_policy_seconds_sum", "listTags")).isPositive();
        assertThat(metric(after, "camel_route_policy_seconds_count", "prefect-call")).isEqualTo(2.0);
    }

    private static double metric(String body, String name, String routeId) {
        return body.lines().filter(l -> l.startsWith(name + "{") && l.contains("routeId=\"" + routeId + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " for " + routeId));
    }
}
