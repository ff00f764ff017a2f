package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.prefectcamel.gateway.Fixtures.EMPTY_PAGE;
import static io.prefectcamel.gateway.Fixtures.FACADE_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.PREFECT_ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.PREFECT_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.assertOnlyServiceCredentials;
import static io.prefectcamel.gateway.Fixtures.readJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An EventPage's {@code next_page} points at Prefect; the facade rewrites it to its own {@code .../events/filter/next}
 * link, and following that link asks Prefect for the same page token.
 */
class NextPageLinksTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    /** Opaque, with characters that need encoding in a query. */
    private static final String TOKEN_1 = "eyJvZmZzZXQiOjUwfQ==.a/b+c d";
    private static final String TOKEN_2 = "eyJvZmZzZXQiOjEwMH0=";

    private final FakePrefect prefect = facade.prefect();
    private final FacadeClient client = facade.client();

    private static String page(String prefectScope, String token) {
        return "{\"events\":[{\"id\":\"2f1e0d9c-8b7a-4c5d-9e6f-0a1b2c3d4e5f\",\"event\":\"prefect-camel.test\"}],\"total\":120,"
                + "\"next_page\":\"https://api.prefect.cloud" + prefectScope + "/events/filter/next?page-token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8) + "\"}";
    }

    private String facadeLink(String facadeScope, String token) {
        return facade.baseUrl() + facadeScope + "/events/filter/next?page-token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    private void prefectServesThreePages(String prefectScope) {
        prefect.stubFor(post(prefectScope + "/events/filter").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(page(prefectScope, TOKEN_1))));
        prefect.stubFor(get(urlPathEqualTo(prefectScope + "/events/filter/next"))
                .withQueryParam("page-token", com.github.tomakehurst.wiremock.client.WireMock.equalTo(TOKEN_1))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(page(prefectScope, TOKEN_2))));
        prefect.stubFor(get(urlPathEqualTo(prefectScope + "/events/filter/next"))
                .withQueryParam("page-token", com.github.tomakehurst.wiremock.client.WireMock.equalTo(TOKEN_2))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(EMPTY_PAGE)));
    }

    private void followsPages(String prefectScope, String facadeScope) {
        prefectServesThreePages(prefectScope);

        HttpResponse<String> first = client.post(facadeScope + "/events/filter", "{\"limit\":50}");
        JsonNode firstPage = readJson(first.body());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(firstPage.path("total").asInt()).isEqualTo(120);
        assertThat(firstPage.path("events").size()).isEqualTo(1);
        assertThat(firstPage.path("next_page").asText()).isEqualTo(facadeLink(facadeScope, TOKEN_1));

        HttpResponse<String> second = client.get(firstPage.path("next_page").asText());
        JsonNode secondPage = readJson(second.body());
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(secondPage.path("next_page").asText()).isEqualTo(facadeLink(facadeScope, TOKEN_2));

        HttpResponse<String> last = client.get(secondPage.path("next_page").asText());
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(last.body()).isEqualTo(EMPTY_PAGE);

        List<LoggedRequest> calls = prefect.requests();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1).getUrl()).startsWith(prefectScope + "/events/filter/next?page-token=");
        assertThat(calls.get(1).queryParameter("page-token").values()).containsExactly(TOKEN_1);
        assertThat(calls.get(2).queryParameter("page-token").values()).containsExactly(TOKEN_2);
        calls.forEach(Fixtures::assertOnlyServiceCredentials);
    }

    @Test
    void accountPagesLinkToTheFacadeAndFollowToPrefect() {
        followsPages(PREFECT_ACCOUNT, FACADE_ACCOUNT);
    }

    @Test
    void workspacePagesLinkToTheFacadeAndFollowToPrefect() {
        followsPages(PREFECT_WORKSPACE, FACADE_WORKSPACE);
    }

    @Test
    void anAnswerThatIsNotAnEventPagePassesThroughUnchanged() {
        prefect.stubFor(post(PREFECT_ACCOUNT + "/events/filter").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>maintenance</html>")));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events/filter", "{}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(answer.body()).isEqualTo("<html>maintenance</html>");
    }

    @Test
    void aNextPageWithoutAPageTokenPassesThroughUnchanged() {
        String page = "{\"events\":[],\"total\":60,\"next_page\":\"https://api.prefect.cloud" + PREFECT_ACCOUNT
                + "/events/filter/next?cursor=abc\"}";
        prefect.stubFor(post(PREFECT_ACCOUNT + "/events/filter").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(page)));

        HttpResponse<String> answer = client.post(FACADE_ACCOUNT + "/events/filter", "{}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(page);
    }

    @Test
    void aLastPageKeepsItsNullNextPage() {
        prefect.stubFor(post(PREFECT_WORKSPACE + "/events/filter").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EMPTY_PAGE)));

        HttpResponse<String> answer = client.post(FACADE_WORKSPACE + "/events/filter", "{}");

        assertThat(answer.body()).isEqualTo(EMPTY_PAGE);
        assertOnlyServiceCredentials(prefect.onlyRequest());
    }
    private String firstLinkForHost(String host) {
        prefectServesThreePages(PREFECT_WORKSPACE);
        String[] answer = client.sendWithHost("POST", FACADE_WORKSPACE + "/events/filter", "{\"limit\":50}", host);
        assertThat(answer[0]).isEqualTo("200");
        return readJson(answer[1]).path("next_page").asText();
    }

    @Test
    void aForeignHostGetsNoLinkToItselfButTheServersOwnUrl() {
        String link = firstLinkForHost("attacker.example");

        assertThat(link).doesNotContain("attacker.example");
        assertThat(link).isEqualTo(facadeLink(FACADE_WORKSPACE, TOKEN_1));
    }

    @Test
    void aForeignHostWithAnAllowedNameInsideIsStillForeign() {
        assertThat(firstLinkForHost("localhost.attacker.example:8080")).doesNotContain("attacker")
                .isEqualTo(facadeLink(FACADE_WORKSPACE, TOKEN_1));
        assertThat(firstLinkForHost("127.0.0.1.attacker.example")).doesNotContain("attacker")
                .isEqualTo(facadeLink(FACADE_WORKSPACE, TOKEN_1));
    }

    @Test
    void anAllowedHostGetsLinksToItself() {
        int port = java.net.URI.create(facade.baseUrl()).getPort();

        assertThat(firstLinkForHost("localhost:" + port)).isEqualTo("http://localhost:" + port + FACADE_WORKSPACE
                + "/events/filter/next?page-token=" + URLEncoder.encode(TOKEN_1, StandardCharsets.UTF_8));
        assertThat(firstLinkForHost("[::1]:" + port)).startsWith("http://[::1]:" + port + FACADE_WORKSPACE);
    }

    @Test
    void anAllowedHostDecidedOnceLeavesAForgedOneBetweenItsCallsForeign() {
        int port = java.net.URI.create(facade.baseUrl()).getPort();
        for (int i = 0; i < 3; i++) {
            assertThat(firstLinkForHost("localhost:" + port)).startsWith("http://localhost:" + port + "/");
            assertThat(firstLinkForHost("attacker.example")).doesNotContain("attacker")
                    .isEqualTo(facadeLink(FACADE_WORKSPACE, TOKEN_1));
            assertThat(firstLinkForHost("LOCALHOST:" + port)).startsWith("http://LOCALHOST:" + port + "/");
        }
    }
}
