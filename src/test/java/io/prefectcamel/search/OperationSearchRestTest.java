package io.prefectcamel.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.OperationCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /v1/operations: the operation search over REST, answered without a Prefect call. */
@ExtendWith(KeyLeakCheck.class)
class OperationSearchRestTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> search(String query, String... headers) {
        return facade.client().get("/v1/operations" + query, headers);
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static List<String> ids(HttpResponse<String> answer) throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(answer.body()).path("results").forEach(r -> ids.add(r.path("operation_id").asText()));
        return ids;
    }

    @Test
    void findsAnOperationByWhatTheCallerWantsAndSaysWhereItIs() throws Exception {
        HttpResponse<String> answer = search("?q=" + q("create a service account"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
        JsonNode results = JSON.readTree(answer.body()).path("results");
        assertThat(results.size()).isEqualTo(OperationIndex.DEFAULT_LIMIT);
        JsonNode best = results.get(0);
        assertThat(best.path("operation_id").asText()).isEqualTo("createBot");
        assertThat(best.path("tool").asText()).isEqualTo("create-bot");
        assertThat(best.path("method").asText()).isEqualTo("POST");
        assertThat(best.path("path").asText()).isEqualTo("/v1/api/accounts/{account-id}/bots");
        assertThat(best.path("prefect_method").asText()).isEqualTo("POST");
        assertThat(best.path("prefect_path").asText()).isEqualTo("/api/accounts/{account_id}/bots/");
        assertThat(best.path("summary").asText()).isEqualTo("Create bot");
        assertThat(best.path("score").isNumber()).isTrue();
        List<Double> scores = new ArrayList<>();
        results.forEach(r -> scores.add(r.path("score").asDouble()));
        assertThat(scores).as("best first").isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(facade.prefect().requests()).as("no Prefect call").isEmpty();
    }

    @Test
    void theWordsPeopleUseFindPrefectsOperations() throws Exception {
        assertThat(ids(search("?q=" + q("who am I")))).first().isEqualTo("readMyProfile");
        assertThat(ids(search("?q=" + q("list the members of the account")))).first()
                .isEqualTo("readAccountMemberships");
        assertThat(ids(search("?q=" + q("emit an event at account level")))).first().isEqualTo("createAccountEvents");
        assertThat(ids(search("?q=" + q("send an event to the workspace")))).first()
                .isEqualTo("createWorkspaceEvents");
    }

    @Test
    void withoutAQueryItListsEveryOperationInCatalogOrder() throws Exception {
        List<String> expected = OperationCatalog.prefectOperations().map(OperationCatalog.Entry::id).toList();
        for (String query : List.of("", "?q=", "?q=%20%20")) {
            HttpResponse<String> answer = search(query);
            assertThat(answer.statusCode()).as(query).isEqualTo(200);
            assertThat(ids(answer)).as(query).containsExactlyElementsOf(expected);
            assertThat(JSON.readTree(answer.body()).path("results").get(0).path("score").isNull()).isTrue();
        }
        assertThat(ids(search("?limit=3"))).containsExactlyElementsOf(expected.subList(0, 3));
    }

    @Test
    void limitIsHonouredAndCheckedAsAProblem() throws Exception {
        assertThat(ids(search("?q=events&limit=1"))).hasSize(1);
        assertThat(ids(search("?q=events&limit=50"))).hasSizeBetween(2, 50);
        for (String bad : List.of("0", "51", "-1", "five", "2.5", "99999999999")) {
            HttpResponse<String> answer = search("?q=events&limit=" + bad, "X-Request-Id", "bad-limit-1");
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.headers().firstValue("X-Request-Id")).hasValue("bad-limit-1");
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("status").asInt()).isEqualTo(400);
            assertThat(problem.path("parameter").asText()).isEqualTo("limit");
            assertThat(problem.path("instance").asText()).isEqualTo("/v1/operations");
            assertThat(problem.path("detail").asText()).contains("1 to 50");
        }
        assertThat(search("?q=a&q=b").statusCode()).isEqualTo(400);
        assertThat(search("?q=" + "x".repeat(501)).statusCode()).isEqualTo(400);
    }

    @Test
    void oddTextIsSearchedAsWordsNeverAsQuerySyntax() throws Exception {
        for (String odd : List.of("who am I?", "+bot -team", "AND OR NOT", "\"unterminated", "a:b* ~c /re/ [x TO y]",
                "\\", "){}[]^")) {
            HttpResponse<String> answer = search("?q=" + q(odd));
            assertThat(answer.statusCode()).as(odd).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).path("results").isArray()).as(odd).isTrue();
        }
        assertThat(ids(search("?q=" + q("zzqx blorf")))).isEmpty();
    }

    @Test
    void theServedDocumentDescribesTheSearch() throws Exception {
        JsonNode doc = JSON.readTree(facade.client().get("/v1/openapi.json").body());
        JsonNode op = doc.path("paths").path("/v1/operations").path("get");
        assertThat(op.path("operationId").asText()).isEqualTo("searchOperations");
        assertThat(op.path("parameters")).extracting(p -> p.path("name").asText()).containsExactly("q", "limit");
        assertThat(op.path("responses").has("400")).isTrue();
        assertThat(op.path("responses").path("200").path("content").path("application/json").path("schema")
                .path("properties").path("results").path("items").path("required"))
                .extracting(JsonNode::asText).contains("operation_id", "tool", "prefect_method", "prefect_path", "score");
        assertThat(doc.path("x-search-synonyms").isArray()).isTrue();
    }
}
