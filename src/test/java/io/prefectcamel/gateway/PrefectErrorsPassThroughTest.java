package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.prefectcamel.gateway.Fixtures.EVENTS;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertOnlyServiceCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Prefect's own 4xx answers reach the caller unchanged, and are not retried. */
class PrefectErrorsPassThroughTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private void prefectAnswers(int status, String body) {
        facade.prefect().stubFor(any(anyUrl())
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static void assertUnchanged(HttpResponse<String> answer, int status, String body) {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.body()).isEqualTo(body);
    }

    @Test
    void aValidationErrorPassesThrough() {
        String detail = "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",0,\"resource\",\"prefect.resource.id\"],"
                + "\"msg\":\"Field required\",\"input\":{}}]}";
        prefectAnswers(422, detail);

        HttpResponse<String> answer = facade.client().post(FACADE_ACCOUNT + "/events", EVENTS);

        assertUnchanged(answer, 422, detail);
        assertOnlyServiceCredentials(facade.prefect().onlyRequest());
    }

    @Test
    void aBadPageTokenPassesThrough() {
        prefectAnswers(403, "{\"detail\":\"Invalid page token\"}");

        HttpResponse<String> answer = facade.client().get(FACADE_WORKSPACE + "/events/filter/next?page-token=stale");

        assertUnchanged(answer, 403, "{\"detail\":\"Invalid page token\"}");
        assertThat(facade.prefect().requestCount()).isEqualTo(1);
    }

    @Test
    void anUnknownWorkspacePassesThrough() {
        prefectAnswers(404, "{\"detail\":\"Workspace not found\"}");

        HttpResponse<String> answer = facade.client().get(FACADE_WORKSPACE + "/tags");

        assertUnchanged(answer, 404, "{\"detail\":\"Workspace not found\"}");
        assertThat(facade.prefect().requestCount()).isEqualTo(1);
    }

    @Test
    void aRejectedKeyPassesThroughWithoutTheKey() {
        prefectAnswers(401, "{\"detail\":\"Invalid authentication credentials\"}");

        HttpResponse<String> answer = facade.client().post(FACADE_WORKSPACE + "/events/count-by/day", "{}");

        assertUnchanged(answer, 401, "{\"detail\":\"Invalid authentication credentials\"}");
        assertThat(answer.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(facade.prefect().requestCount()).isEqualTo(1);
    }
}
