package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.EVENTS;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.FLOW_RUN;
import static io.prefectcamel.gateway.Fixtures.WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Arrays;

import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input is refused with a 4xx problem document that names the parameter at fault, and nothing reaches Prefect.
 */
class InputValidationTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private final FacadeClient client = facade.client();

    @BeforeEach
    void prefectWouldAnswerAnything() {
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @AfterEach
    void nothingReachedPrefect() {
        assertThat(facade.prefect().requests()).as("requests that reached Prefect").isEmpty();
    }

    @Test
    void anAccountIdThatIsNotAUuid() {
        assertProblem(client.post("/v1/api/accounts/not-a-uuid/events/filter", "{}"), 400, "account-id");
    }

    @Test
    void aWorkspaceIdThatIsNotAUuid() {
        assertProblem(client.get(FACADE_ACCOUNT + "/workspaces/12345/tags"), 400, "workspace-id");
    }

    @Test
    void aFlowRunIdThatIsNotAUuid() {
        assertProblem(client.get(FACADE_WORKSPACE + "/flow-runs/" + FLOW_RUN.substring(1) + "/events"), 400, "flow-run-id");
    }

    @Test
    void aCountableOutsideTheEnum() {
        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events/count-by/week", "{}");

        assertThat(assertProblem(answer, 400, "countable").path("detail").asText()).contains("day", "actor");
    }

    @Test
    void aFilterLimitAbove200() {
        assertProblem(client.post(FACADE_ACCOUNT + "/events/filter", "{\"limit\":201}"), 400, "limit");
    }

    @Test
    void aFilterLimitBelowZero() {
        assertProblem(client.post(FACADE_WORKSPACE + "/events/filter", "{\"limit\":-1}"), 400, "limit");
    }

    @Test
    void aFlowRunEventsLimitOutOfRange() {
        assertProblem(client.get(FACADE_WORKSPACE + "/flow-runs/" + FLOW_RUN + "/events?limit=0"), 400, "limit");
        assertProblem(client.get(FACADE_WORKSPACE + "/flow-runs/" + FLOW_RUN + "/events?limit=201"), 400, "limit");
    }

    @Test
    void aTagsLimitOutOfRange() {
        assertProblem(client.get(FACADE_WORKSPACE + "/tags?limit=201"), 400, "limit");
        assertProblem(client.get(FACADE_WORKSPACE + "/tags?limit=ten"), 400, "limit");
    }

    @Test
    void invalidJson() {
        assertProblem(client.post(FACADE_ACCOUNT + "/events/filter", "{\"limit\": 5"), 400, "body");
        assertProblem(client.post(FACADE_WORKSPACE + "/events", "[{\"id\": }]"), 400, "body");
        assertProblem(client.post(FACADE_WORKSPACE + "/events/filter", "{\"limit\":1} {\"limit\":2}"), 400, "body");
    }

    @Test
    void aBodyOverFiveMebibytes() {
        char[] padding = new char[5 * 1024 * 1024];
        Arrays.fill(padding, 'x');
        String events = EVENTS.replace("\"note\":", "\"padding\":\"" + new String(padding) + "\",\"note\":");

        assertProblem(client.post(FACADE_ACCOUNT + "/events", events), 413, "body");
    }

    @Test
    void aMissingPageToken() {
        assertProblem(client.get(FACADE_ACCOUNT + "/events/filter/next"), 400, "page-token");
        assertProblem(client.get(FACADE_WORKSPACE + "/events/filter/next?page-token="), 400, "page-token");
    }

    @Test
    void aPageTokenGivenTwice() {
        assertProblem(client.get(FACADE_ACCOUNT + "/events/filter/next?page-token=a&page-token=b"), 400, "page-token");
    }

    @Test
    void pathTraversalInsideAnId() {
        assertProblem(client.get(FACADE_ACCOUNT + "/workspaces/..%2F..%2Fworkspaces%2F" + WORKSPACE + "/tags"), 400, "workspace-id");
        assertProblem(client.post("/v1/api/accounts/" + ACCOUNT + "%2Fworkspaces%2F" + WORKSPACE + "/events/filter", "{}"),
                400, "account-id");
        assertProblem(client.get(FACADE_WORKSPACE + "/flow-runs/%2E%2E%2F%2E%2E%2Ftags/events"), 400, "flow-run-id");
    }

    @Test
    void aDotDotSegmentIsResolvedBeforeRoutingAndReachesNothing() {
        HttpResponse<String> answer = client.get(FACADE_ACCOUNT + "/workspaces/../tags");

        assertThat(answer.statusCode()).isEqualTo(404);
    }

    @Test
    void lineBreaksInAParameter() {
        assertProblem(client.delete(FACADE_WORKSPACE + "/tags?tag=a%0d%0aX-Injected:%20y"), 400, "tag");
        assertProblem(client.get(FACADE_WORKSPACE + "/tags?search=a%0aX-Injected:%20y"), 400, "search");
        assertProblem(client.get(FACADE_ACCOUNT + "/events/filter/next?page-token=t%0d%0aX-Injected:%20y"), 400, "page-token");
    }

    @Test
    void aCreateWhoseBodyIsNotAnArray() {
        assertProblem(client.post(FACADE_ACCOUNT + "/events", EVENTS.substring(1, EVENTS.length() - 1)), 400, "body");
    }

    @Test
    void aCreateWithNoEvents() {
        assertProblem(client.post(FACADE_WORKSPACE + "/events", "[]"), 400, "body");
    }

    @Test
    void aCreateWithoutABody() {
        assertProblem(client.send("POST", FACADE_ACCOUNT + "/events", (String) null), 400, "body");
    }

    @Test
    void anEventWithoutItsRequiredFields() {
        assertProblem(client.post(FACADE_ACCOUNT + "/events", "[{\"event\":\"x\"}]"), 400, "body[0].occurred");
    }

    @Test
    void anEnumQueryValueOutsideTheEnum() {
        assertProblem(client.get(FACADE_WORKSPACE + "/tags?sort=RANDOM"), 400, "sort");
        assertProblem(client.get(FACADE_WORKSPACE + "/flow-runs/" + FLOW_RUN + "/events?order=UP"), 400, "order");
    }
}
