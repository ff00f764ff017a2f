package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.PREFECT_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.readJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.prefectcamel.testing.FacadeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With facade.public-url set, every next_page link is built on it, whatever Host the request names. */
class PublicUrlLinksTest {

    private static final String PUBLIC = "https://prefect-facade.example.com";

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
            .property("facade.public-url", PUBLIC + "/")
            .property("facade.allowed-hosts", "facade.internal:*");

    private String firstLinkForHost(String host) {
        facade.prefect().stubFor(post(PREFECT_WORKSPACE + "/events/filter").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"events\":[],\"total\":60,\"next_page\":"
                        + "\"https://api.prefect.cloud" + PREFECT_WORKSPACE + "/events/filter/next?page-token=abc\"}")));
        String[] answer = facade.client().sendWithHost("POST", FACADE_WORKSPACE + "/events/filter", "{}", host);
        assertThat(answer[0]).isEqualTo("200");
        return readJson(answer[1]).path("next_page").asText();
    }

    @Test
    void thePublicUrlWinsOverAForeignHost() {
        assertThat(firstLinkForHost("attacker.example"))
                .isEqualTo(PUBLIC + FACADE_WORKSPACE + "/events/filter/next?page-token=abc");
    }

    @Test
    void thePublicUrlWinsOverAnAllowedHost() {
        assertThat(firstLinkForHost("facade.internal:8443"))
                .isEqualTo(PUBLIC + FACADE_WORKSPACE + "/events/filter/next?page-token=abc");
        assertThat(firstLinkForHost("localhost:8080"))
                .isEqualTo(PUBLIC + FACADE_WORKSPACE + "/events/filter/next?page-token=abc");
    }
}
