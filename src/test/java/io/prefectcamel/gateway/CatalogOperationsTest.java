package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.prefectcamel.gateway.Fixtures.CALLER_HEADERS;
import static io.prefectcamel.gateway.Fixtures.assertOnlyServiceCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.OperationCatalog;
import io.prefectcamel.testing.OperationCatalog.Entry;
import io.prefectcamel.testing.SampleRequests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Prefect operation of the catalog, over REST, with a valid request made from the facade's own document: the
 * facade calls exactly that Prefect operation (method, path with the caller's ids, required query parameters, the
 * body as sent) with the service's key only, and hands back Prefect's status. A new catalog entry is covered here
 * without a new test.
 */
class CatalogOperationsTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static JsonNode document;
    private static SampleRequests samples;

    @BeforeAll
    static void read() throws Exception {
        document = new ObjectMapper(new YAMLFactory())
                .readTree(Paths.get("src/main/resources/openapi/prefect-camel-openapi.yaml").toFile());
        samples = new SampleRequests(document);
    }

    static Stream<Entry> operations() {
        return OperationCatalog.prefectOperations();
    }

    private static JsonNode facadeOperation(Entry entry) {
        return document.path("paths").path(entry.facadePath()).path(entry.prefectMethod().toLowerCase());
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void callsItsPrefectOperationWithTheServicesKeyOnly(Entry entry) throws Exception {
        JsonNode op = facadeOperation(entry);
        assertThat(op.isObject()).as(entry.facadePath()).isTrue();

        // Prefect answers with its documented success status (and a body of the documented shape)
        SampleRequests.Answer success = samples.success(op);
        String status = Integer.toString(success.status());
        JsonNode answer = success.body();
        facade.prefect().stubFor(any(anyUrl()).willReturn(answer == null ? aResponse().withStatus(Integer.parseInt(status))
                : aResponse().withStatus(Integer.parseInt(status)).withHeader("Content-Type", "application/json")
                        .withBody(SampleRequests.json(answer))));

        // the facade request: every required parameter, and a valid body when the operation takes one
        Map<String, String> params = samples.parameters(op, true);
        String facadePath = entry.facadePath();
        String prefectPath = entry.prefectPath();
        StringBuilder query = new StringBuilder();
        for (JsonNode p : op.path("parameters")) {
            String name = p.path("name").asText();
            if (!params.containsKey(name)) {
                continue;
            }
            String value = params.get(name);
            switch (p.path("in").asText()) {
                case "path" -> {
                    facadePath = facadePath.replace("{" + name + "}", encode(value));
                    prefectPath = prefectPath.replace("{" + name.replace('-', '_') + "}", encode(value));
                }
                case "query" -> query.append(query.length() == 0 ? "?" : "&").append(encode(name)).append('=').append(encode(value));
                default -> {
                }
            }
        }
        String body = op.has("requestBody")
                ? SampleRequests.json(samples.sample(op.path("requestBody").path("content").path("application/json").path("schema")))
                : null;
        FacadeClient client = facade.client();
        var response = client.send(entry.prefectMethod(), facadePath + query, body, CALLER_HEADERS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(Integer.parseInt(status));
        assertThat(response.headers().firstValue("Cache-Control")).as("no cache keeps an answer that may hold a key")
                .hasValue("no-store");
        LoggedRequest upstream = facade.prefect().onlyRequest();
        assertThat(upstream.getMethod().getName()).isEqualTo(entry.prefectMethod());
        String url = upstream.getUrl();
        assertThat(url.contains("?") ? url.substring(0, url.indexOf('?')) : url).isEqualTo(prefectPath);
        if (query.length() > 0) {
            assertThat(url).contains(query.substring(1).split("&"));
        }
        if (body != null) {
            assertThat(new ObjectMapper().readTree(upstream.getBodyAsString())).isEqualTo(new ObjectMapper().readTree(body));
        }
        assertOnlyServiceCredentials(upstream);
        if (answer != null && !entry.route().equals("event-page")) {
            assertThat(new ObjectMapper().readTree(response.body())).as("Prefect's answer, unchanged")
                    .isEqualTo(new ObjectMapper().readTree(SampleRequests.json(answer)));
        }
    }
}
