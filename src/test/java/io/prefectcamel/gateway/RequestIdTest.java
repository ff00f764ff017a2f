package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every answer carries an X-Request-Id: the caller's own when it is safe to echo, a fresh one otherwise. */
class RequestIdTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private HttpResponse<String> listTags(String... headers) {
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson("{\"results\":[],\"count\":0,\"limit\":10,\"pages\":0,\"page\":1}")));
        return facade.client().get(FACADE_WORKSPACE + "/tags", headers);
    }

    @Test
    void theCallersRequestIdIsEchoed() {
        HttpResponse<String> answer = listTags("X-Request-Id", "caller-req.42:a_b");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().allValues("X-Request-Id")).containsExactly("caller-req.42:a_b");
    }

    @Test
    void withoutOneTheFacadeMakesOne() {
        HttpResponse<String> first = listTags();
        HttpResponse<String> second = listTags();

        assertThat(first.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(UUID));
        assertThat(second.headers().firstValue("X-Request-Id")).isNotEqualTo(first.headers().firstValue("X-Request-Id"));
    }

    @Test
    void anUnsafeRequestIdIsReplaced() {
        HttpResponse<String> answer = listTags("X-Request-Id", "<script>alert(1)</script>");

        assertThat(answer.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(UUID));
    }

    @Test
    void aRefusedRequestCarriesOneToo() {
        HttpResponse<String> answer = facade.client().get(FACADE_WORKSPACE + "/tags?limit=0", "X-Request-Id", "refused-1");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().allValues("X-Request-Id")).containsExactly("refused-1");
        assertThat(facade.prefect().requestCount()).isZero();
    }
}
