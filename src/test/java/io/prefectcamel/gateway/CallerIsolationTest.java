package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One HTTP client carries every caller's calls to Prefect: nothing one answer leaves behind (a cookie) travels with
 * a later call, and nothing of it reaches the caller.
 */
class CallerIsolationTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final String TAGS = "{\"results\":[],\"count\":0,\"limit\":10,\"pages\":0,\"page\":1}";

    @Test
    void aCookiePrefectSetsIsNeitherReplayedNorHandedOnNorIsItsAllow() {
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(TAGS)
                .withHeader("Set-Cookie", "session=first-callers-session; Path=/; Max-Age=3600")
                .withHeader("Allow", "GET, HEAD")));

        HttpResponse<String> first = facade.client().get(FACADE_WORKSPACE + "/tags");
        HttpResponse<String> second = facade.client().get(FACADE_WORKSPACE + "/tags");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(first.headers().firstValue("Allow")).as("Prefect's Allow is about its own paths").isEmpty();
        List<LoggedRequest> calls = facade.prefect().requests();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).containsHeader("Cookie")).as(calls.get(1).getHeaders().toString()).isFalse();
    }
}
