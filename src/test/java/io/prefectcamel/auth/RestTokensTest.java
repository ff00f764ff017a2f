package io.prefectcamel.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.prefectcamel.auth.AuthFixtures.ACCOUNT;
import static io.prefectcamel.auth.AuthFixtures.EMPTY_PAGE;
import static io.prefectcamel.auth.AuthFixtures.FACADE_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.OTHER_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.bearer;
import static io.prefectcamel.auth.AuthFixtures.createToken;
import static io.prefectcamel.auth.AuthFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The REST facade with scoped tokens (facade.auth.mode=tokens) and a real token store in a temporary file, with
 * WireMock as Prefect: what is refused never reaches Prefect, what is allowed reaches it with the service's key only.
 */
class RestTokensTest {

    static final Path STORE = AuthFixtures.tempStore();
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
            .property("facade.auth.mode", "tokens")
            .property("facade.auth.tokens-file", STORE.toString())
            .property("facade.auth.rate-limit.per-second", "1000")
            .property("facade.cors.allowed-origins", "https://app.example.com");

    private String url(String path) {
        return facade.baseUrl() + path;
    }

    /** A new token the running service already accepts. */
    private String token(String name, List<String> scopes, List<String> accounts, List<String> workspaces, Double rate) {
        String token = createToken(STORE, name, scopes, accounts, workspaces, null, rate);
        AuthFixtures.await(() -> send("GET", url(FACADE_WORKSPACE + "/tags"), null, bearer(token)).statusCode() != 401);
        facade.prefect().reset();
        return token;
    }

    private static JsonNode problem(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> filter(String... headers) {
        return send("POST", url(FACADE_WORKSPACE + "/events/filter"), "{}", concat(headers, "Content-Type",
                "application/json"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void withoutCredentialsTheAnswerIs401AndPrefectIsNotCalled() throws Exception {
        HttpResponse<String> none = filter();
        HttpResponse<String> basic = filter("Authorization", "Basic dXNlcjpwYXNz");
        HttpResponse<String> garbage = filter("Authorization", "Bearer not-a-token");
        HttpResponse<String> unknown = filter("Authorization", "Bearer pcat_0123456789ab_" + "A".repeat(43));

        assertThat(problem(none, 401).path("detail").asText()).contains("Authorization: Bearer");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        for (HttpResponse<String> bad : List.of(basic, garbage, unknown)) {
            problem(bad, 401);
            assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer").contains("invalid_token"));
            assertThat(bad.body()).doesNotContain("not-a-token").doesNotContain("AAAAAAAAAA");
        }
        assertThat(facade.prefect().requestCount()).isZero();
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        String expired = createToken(STORE, "expired", List.of("events:read"), List.of(), List.of(),
                Instant.now().minusSeconds(1), null);
        String valid = token("fresh", List.of("events:read"), List.of(), List.of(), null);
        assertThat(filter(bearer(valid)).statusCode()).isNotEqualTo(401); // the store with both is loaded

        assertThat(problem(filter(bearer(expired)), 401).path("detail").asText()).contains("expired");
    }

    @Test
    void aValidTokenReachesPrefectWithTheServiceKeyOnly() throws Exception {
        String token = token("reader", List.of("events:read"), List.of(), List.of(), null);
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));

        HttpResponse<String> answer = filter(bearer(token));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        LoggedRequest upstream = facade.prefect().onlyRequest();
        assertThat(upstream.getHeader("Authorization")).isEqualTo("Bearer " + TestKey.VALUE);
        assertThat(upstream.getHeaders().all().toString()).doesNotContain(token);
    }

    @Test
    void aTokenWithoutTheScopeIs403NamingIt() throws Exception {
        String token = token("read-only", List.of("events:read"), List.of(), List.of(), null);

        HttpResponse<String> create = send("POST", url(FACADE_WORKSPACE + "/events"), "[]",
                concat(bearer(token), "Content-Type", "application/json"));
        HttpResponse<String> delete = send("DELETE", url(FACADE_WORKSPACE + "/tags?tag=x"), null, bearer(token));
        HttpResponse<String> me = send("GET", url("/v1/api/me"), null, bearer(token));

        assertThat(problem(create, 403).path("detail").asText()).contains("events:write");
        assertThat(problem(delete, 403).path("detail").asText()).contains("events:write");
        assertThat(problem(me, 403).path("detail").asText()).contains("admin:read");
        assertThat(facade.prefect().requestCount()).isZero();
    }

    @Test
    void theCallerTheEdgeAuthenticatedCannotBeSentAsAHeader() throws Exception {
        // the edge hands its caller to the route as platform-http's authenticated-user header: a client's header of
        // that name is dropped, so it neither authenticates nor widens a token's scope
        String spoofed = "CamelVertxPlatformHttpAuthenticatedUser";
        HttpResponse<String> none = send("GET", url("/v1/api/me"), null, spoofed, "admin");
        String token = token("reads-events", List.of("events:read"), List.of(), List.of(), null);
        HttpResponse<String> me = send("GET", url("/v1/api/me"), null, concat(bearer(token), spoofed, "admin"));

        problem(none, 401);
        assertThat(problem(me, 403).path("detail").asText()).contains("admin:read");
        assertThat(facade.prefect().requestCount()).isZero();
    }

    @Test
    void aRestrictedTokenIs403ElsewhereAndOnOperationsOfNoOneAccount() throws Exception {
        String workspaceOnly = token("one-workspace", List.of("events:read"), List.of(), List.of(OTHER_WORKSPACE), null);
        String accountOnly = token("one-account", List.of("events:read", "admin:read"), List.of(ACCOUNT), List.of(), null);

        HttpResponse<String> otherWorkspace = filter(bearer(workspaceOnly));
        HttpResponse<String> accountWide = send("POST", url("/v1/api/accounts/" + ACCOUNT + "/events/filter"), "{}",
                concat(bearer(workspaceOnly), "Content-Type", "application/json"));
        HttpResponse<String> me = send("GET", url("/v1/api/me"), null, bearer(accountOnly));
        HttpResponse<String> otherAccount = send("GET", url("/v1/api/accounts/" + OTHER_WORKSPACE), null, bearer(accountOnly));

        assertThat(problem(otherWorkspace, 403).path("detail").asText()).contains("workspace " + WORKSPACE);
        assertThat(problem(accountWide, 403).path("detail").asText()).contains("not an operation of one workspace");
        assertThat(problem(me, 403).path("detail").asText()).contains("not an operation of one account");
        assertThat(problem(otherAccount, 403).path("detail").asText()).contains("account " + OTHER_WORKSPACE);
        assertThat(facade.prefect().requestCount()).isZero();

        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));
        assertThat(filter(bearer(accountOnly)).statusCode()).as("its own account").isEqualTo(200);
    }

    @Test
    void aRevokedTokenStopsWorkingWithinFiveSeconds() {
        String token = token("soon-revoked", List.of("events:read"), List.of(), List.of(), null);
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));
        assertThat(filter(bearer(token)).statusCode()).isEqualTo(200);

        AuthFixtures.revoke(STORE, "soon-revoked");
        Duration took = AuthFixtures.await(() -> filter(bearer(token)).statusCode() == 401);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBrieflyUnreadableStoreKeepsTheTokensReadBefore() throws Exception {
        String token = token("steady", List.of("events:read"), List.of(), List.of(), null);
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));
        byte[] good = Files.readAllBytes(STORE);
        try {
            Files.writeString(STORE, "{ half a file");
            Thread.sleep(2500);
            assertThat(filter(bearer(token)).statusCode()).isEqualTo(200);
        } finally {
            Files.write(STORE, good);
        }
    }

    @Test
    void eachTokenHasItsOwnRateLimit() throws Exception {
        // half a call a second: the call that showed the token was accepted used the one it had
        String slow = token("slow", List.of("events:read"), List.of(), List.of(), 0.5);
        String other = token("other", List.of("events:read"), List.of(), List.of(), null);
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));

        HttpResponse<String> limited = filter(bearer(slow));
        int others = filter(bearer(other)).statusCode();

        problem(limited, 429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));
        assertThat(others).isEqualTo(200);
        assertThat(facade.prefect().requestCount()).as("only the other token's call").isOne();
    }

    @Test
    void eachTokenHasItsOwnConcurrencyLimit() throws Exception {
        String one = createToken(STORE, "one-at-a-time", List.of("events:read"), List.of(), List.of(), null, null, 1);
        AuthFixtures.await(() -> filter(bearer(one)).statusCode() != 401);
        facade.prefect().reset();
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE).withFixedDelay(1500)));

        java.util.concurrent.CompletableFuture<HttpResponse<String>> slow =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> filter(bearer(one)));
        AuthFixtures.await(() -> facade.prefect().requestCount() == 1);
        HttpResponse<String> second = filter(bearer(one));

        problem(second, 429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(facade.prefect().requestCount()).isOne();
        assertThat(filter(bearer(one)).statusCode()).as("once the first has finished").isEqualTo(200);
    }

    @Test
    void corsHeadersGoWithAnswersToAnAllowedOrigin() {
        String token = token("browser", List.of("events:read"), List.of(), List.of(), null);
        facade.prefect().stubFor(any(anyUrl()).willReturn(okJson(EMPTY_PAGE)));

        HttpResponse<String> answer = filter(concat(bearer(token), "Origin", "https://app.example.com"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
    }

    @Test
    void optionsEchoesNothingAndCorsIsForTheConfiguredOriginsOnly() {
        HttpResponse<String> foreign = send("OPTIONS", url(FACADE_WORKSPACE + "/tags?x-injected=1"), null,
                "Origin", "https://evil.example", "X-Evil", "1", "Access-Control-Request-Method", "GET");
        HttpResponse<String> allowed = send("OPTIONS", url(FACADE_WORKSPACE + "/tags"), null,
                "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "authorization");

        assertThat(foreign.statusCode()).isEqualTo(204);
        assertThat(foreign.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("x-evil")
                || h.equalsIgnoreCase("x-injected") || h.toLowerCase().startsWith("access-control-"));
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                v -> assertThat(v).contains("Authorization"));

        HttpResponse<String> refused = filter("Origin", "https://evil.example");
        assertThat(refused.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws Exception {
        String token = token("no-type", List.of("events:read"), List.of(), List.of(), null);

        HttpResponse<String> answer = send("POST", url(FACADE_WORKSPACE + "/events/filter"), "{}", bearer(token));

        problem(answer, 415);
        assertThat(facade.prefect().requestCount()).isZero();
    }

    @Test
    void theDocumentIsPublicAndDeclaresTheSchemeAndEachScope() throws Exception {
        HttpResponse<String> json = send("GET", url("/v1/openapi.json"), null);
        HttpResponse<String> yaml = send("GET", url("/v1/openapi.yaml"), null);

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(yaml.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(json.body());
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/paths/~1v1~1api~1accounts~1{account-id}~1workspaces~1{workspace-id}~1events/post/x-scope")
                .asText()).isEqualTo("events:write");
        assertThat(doc.at("/paths/~1v1~1api~1accounts~1{account-id}~1workspaces~1{workspace-id}~1events~1filter/post/x-scope")
                .asText()).isEqualTo("events:read");
        assertThat(doc.at("/paths/~1v1~1api~1me/get/x-scope").asText()).isEqualTo("admin:read");
    }
}
