package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.prefectcamel.testing.FakePrefect;
import io.prefectcamel.testing.FreePort;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.Test;

/**
 * The REST server on a port other than 8080 and the management server on a port of its own, as a user sets them
 * ({@code -Dcamel.server.port=...}, {@code --prop}): both serve. Camel 4.17 alone looks for the REST routes' router
 * on 8080 in that case and the service does not start.
 */
class ServerPortsTest {

    @Test
    void restAndManagementServeOnPortsOfTheirOwn() throws Exception {
        FakePrefect prefect = FakePrefect.start();
        prefect.stubFor(any(anyUrl()).willReturn(okJson("[]")));
        int rest = FreePort.next();
        int management = FreePort.next();
        try (ServiceUnderTest service = ServiceUnderTest.builder()
                .prefect(prefect.url(), TestKey.VALUE)
                .property("camel.server.port", Integer.toString(rest))
                .property("camel.management.port", Integer.toString(management))
                .start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> tags = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + rest + FACADE_WORKSPACE + "/tags")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tags.statusCode()).isEqualTo(200);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + management + "/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("UP");
            assertThat(prefect.requests()).hasSize(1);
        } finally {
            prefect.stop();
        }
    }
}
