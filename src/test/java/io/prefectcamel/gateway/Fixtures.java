package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.prefectcamel.testing.TestKey;

/** Ids, bodies and assertions shared by the gateway's behaviour tests. */
final class Fixtures {

    static final String ACCOUNT = "0b8e2d6c-3f1a-4c55-9a8e-1f2d3c4b5a69";
    static final String WORKSPACE = "5f0c1a2b-7d3e-4f60-8a91-b2c3d4e5f607";
    static final String FLOW_RUN = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

    /** Prefect's paths. */
    static final String PREFECT_ACCOUNT = "/api/accounts/" + ACCOUNT;
    static final String PREFECT_WORKSPACE = PREFECT_ACCOUNT + "/workspaces/" + WORKSPACE;

    /** The facade's paths. */
    static final String FACADE_ACCOUNT = "/v1/api/accounts/" + ACCOUNT;
    static final String FACADE_WORKSPACE = FACADE_ACCOUNT + "/workspaces/" + WORKSPACE;

    /** What a caller sends besides the request itself; none of it may reach Prefect. */
    static final String[] CALLER_HEADERS = {
        "Authorization", "Bearer callers-own-token",
        "X-Whatever", "from-the-caller",
        "Cookie", "session=callers-cookie",
    };

    static final String EVENTS = "[{\"id\":\"2f1e0d9c-8b7a-4c5d-9e6f-0a1b2c3d4e5f\",\"occurred\":\"2026-05-01T10:00:00Z\","
            + "\"event\":\"prefect-camel.test.ping\",\"resource\":{\"prefect.resource.id\":\"prefect-camel.test\"},"
            + "\"payload\":{\"note\":\"d\u00e9j\u00e0 vu \u2713\"}}]";

    static final String EMPTY_PAGE = "{\"events\": [], \"total\": 0, \"next_page\": null}";

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /**
     * Asserts what Prefect received: method, path, query (raw {@code name=value} pairs, in any order, nothing else),
     * body (exactly; null for none) and the service's own key as the only credential, with nothing of the caller's.
     */
    static void assertUpstream(LoggedRequest request, String method, String path, List<String> query, String body) {
        assertThat(request.getMethod().getName()).as("method").isEqualTo(method);
        String url = request.getUrl();
        int q = url.indexOf('?');
        assertThat(q < 0 ? url : url.substring(0, q)).as("path").isEqualTo(path);
        List<String> pairs = q < 0 ? List.of() : Arrays.asList(url.substring(q + 1).split("&"));
        assertThat(pairs).as("query of " + url).containsExactlyInAnyOrderElementsOf(query);
        if (body == null) {
            assertThat(request.getBodyAsString()).as("body").isEmpty();
        } else {
            assertThat(request.getBodyAsString()).as("body").isEqualTo(body);
            assertThat(request.getHeader("Content-Type")).as("Content-Type").startsWith("application/json");
            assertThat(request.getHeader("Content-Length")).as("Content-Length (Prefect answers 411 without one)")
                    .isEqualTo(Integer.toString(request.getBody().length));
            assertThat(request.containsHeader("Transfer-Encoding")).as("chunked upload").isFalse();
        }
        assertOnlyServiceCredentials(request);
    }

    /** The request carries {@code Authorization: Bearer <service key>} once, and no header of the caller's. */
    static void assertOnlyServiceCredentials(LoggedRequest request) {
        HttpHeader authorization = request.getHeaders().getHeader("Authorization");
        assertThat(authorization.isPresent()).as("Authorization header present").isTrue();
        assertThat(authorization.values().size()).as("number of Authorization values").isEqualTo(1);
        assertThat(authorization.firstValue().equals("Bearer " + TestKey.VALUE))
                .as("Authorization is 'Bearer <the service's key>'").isTrue();
        List<String> names = new ArrayList<>(request.getAllHeaderKeys());
        assertThat(names).as("headers Prefect received")
                .noneMatch(n -> n.equalsIgnoreCase("X-Whatever"))
                .noneMatch(n -> n.equalsIgnoreCase("Cookie"))
                .noneMatch(n -> n.toLowerCase().startsWith("camel"));
    }

    /** Asserts a problem answer naming the parameter at fault (or none, for null) and returns it. */
    static JsonNode assertProblem(HttpResponse<String> answer, int status, String parameter) {
        assertThat(answer.statusCode()).as("status; body: " + answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).as("Content-Type").hasValue("application/problem+json");
        JsonNode problem = readJson(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotEmpty();
        assertThat(problem.path("detail").asText()).isNotEmpty();
        if (parameter != null) {
            assertThat(problem.path("parameter").asText()).as("parameter named by " + answer.body()).isEqualTo(parameter);
            assertThat(problem.path("detail").asText()).contains(parameter);
        }
        return problem;
    }

    static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
