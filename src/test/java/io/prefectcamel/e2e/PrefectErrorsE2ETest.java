package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefectcamel.gateway.NextPageLinks;
import io.prefectcamel.testing.FacadeClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prefect's refusals reach the caller through the facade unchanged (a tampered page token's 403, an invalid event's
 * FastAPI-shaped 422), and what the facade refuses itself (400) never reaches Prefect; in every case nothing is stored.
 */
class PrefectErrorsE2ETest {

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults();

    private final FacadeClient client = e2e.client();
    private final Reader reader = e2e.reader();

    private long stored(Scope scope) {
        return e2e.sandbox().store().events().stream().filter(e -> scope.workspace().equals(e.workspace())).count();
    }

    // ---------------------------------------------------------------- page tokens

    /** A workspace with 3 events and the facade's link to its second page (1 event a page). */
    private String secondPageLink(Scope scope) {
        reader.create(scope, List.of(event("acme.token.test", "acme.token.1"), event("acme.token.test", "acme.token.2"),
                event("acme.token.test", "acme.token.3")));
        JsonNode first = reader.first(scope, null, 1);
        assertThat(Reader.hasNext(first)).isTrue();
        return first.path("next_page").asText();
    }

    private static String withToken(Scope scope, String token) {
        return scope.facade() + "/events/filter/next?page-token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** The token with one character of its signed part changed. */
    private static String tampered(String token) {
        char[] chars = token.toCharArray();
        int i = token.indexOf('.') / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    @Test
    void aTamperedPageTokenIsForbiddenAsPrefectSaysIt() {
        Scope scope = Scope.fresh();
        String token = NextPageLinks.pageToken(secondPageLink(scope));
        String bad = tampered(token);

        HttpResponse<String> answer = client.get(withToken(scope, bad));

        HttpResponse<String> prefect = e2e.direct("GET", scope.prefect() + "/events/filter/next?page-token="
                + URLEncoder.encode(bad, StandardCharsets.UTF_8), null, null);
        assertThat(prefect.statusCode()).isEqualTo(403);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.body()).isEqualTo(prefect.body());
        assertThat(Events.parse(answer.body()).path("detail").isTextual()).isTrue();

        // the token as it was still reads its page
        assertThat(client.get(withToken(scope, token)).statusCode()).isEqualTo(200);
    }

    @Test
    void aPageTokenOfAnotherWorkspaceIsForbidden() {
        Scope scope = Scope.fresh();
        String token = NextPageLinks.pageToken(secondPageLink(scope));

        HttpResponse<String> answer = client.get(withToken(scope.otherWorkspace(), token));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertThat(Events.parse(answer.body()).path("detail").asText()).isNotEmpty();
    }

    @Test
    void aTokenThatIsNoTokenAtAllIsForbidden() {
        Scope scope = Scope.fresh();

        HttpResponse<String> answer = client.get(withToken(scope, "not-a-token"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    }

    // ---------------------------------------------------------------- invalid events: Prefect's 422

    private static ObjectNode valid() {
        return event("acme.rule.test", "acme.rule.1").json();
    }

    private static ObjectNode labels(int n, String... first) {
        ObjectNode labels = Events.JSON.createObjectNode();
        for (int i = 0; i < first.length; i += 2) {
            labels.put(first[i], first[i + 1]);
        }
        for (int i = labels.size(); i < n; i++) {
            labels.put("acme.label." + i, "v" + i);
        }
        return labels;
    }

    static Stream<Arguments> invalidEvents() {
        ObjectNode noResourceId = valid();
        noResourceId.set("resource", labels(0, "acme.name", "no id"));

        ObjectNode emptyResourceId = valid();
        emptyResourceId.set("resource", labels(0, "prefect.resource.id", ""));

        ObjectNode relatedWithoutRole = valid();
        relatedWithoutRole.putArray("related").add(labels(0, "prefect.resource.id", "acme.customer.1"));

        ObjectNode tooManyLabels = valid();
        tooManyLabels.set("resource", labels(501, "prefect.resource.id", "acme.rule.1"));

        ObjectNode relatedWithTooManyLabels = valid();
        relatedWithTooManyLabels.putArray("related").add(labels(501, "prefect.resource.id", "acme.customer.1",
                "prefect.resource.role", "customer"));

        ObjectNode tooManyRelated = valid();
        ArrayNode related = tooManyRelated.putArray("related");
        for (int i = 0; i < 101; i++) {
            related.add(labels(0, "prefect.resource.id", "acme.customer." + i, "prefect.resource.role", "customer"));
        }

        return Stream.of(
                Arguments.of("resource without prefect.resource.id", noResourceId),
                Arguments.of("resource with an empty prefect.resource.id", emptyResourceId),
                Arguments.of("related resource without prefect.resource.role", relatedWithoutRole),
                Arguments.of("501 labels on the resource", tooManyLabels),
                Arguments.of("501 labels on a related resource", relatedWithTooManyLabels),
                Arguments.of("101 related resources", tooManyRelated));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void anInvalidEventIsRefusedWithPrefectsOwn422(String rule, ObjectNode invalid) {
        Scope scope = Scope.fresh();
        ArrayNode body = Events.JSON.createArrayNode().add(valid()).add(invalid);

        HttpResponse<String> answer = client.post(scope.facade() + "/events", body.toString());

        HttpResponse<String> prefect = e2e.direct("POST", scope.prefect() + "/events", body.toString(), null);
        assertThat(prefect.statusCode()).as("the sandbox itself").isEqualTo(422);
        assertThat(answer.statusCode()).as(rule + ": " + answer.body()).isEqualTo(422);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.body()).as("Prefect's answer, unchanged").isEqualTo(prefect.body());
        JsonNode detail = Events.parse(answer.body()).path("detail");
        assertThat(detail.isArray()).isTrue();
        assertThat(detail).isNotEmpty().allSatisfy(error -> {
            assertThat(error.path("loc").get(0).asText()).isEqualTo("body");
            assertThat(error.path("loc").get(1).asInt()).as("the invalid event's index").isEqualTo(1);
            assertThat(error.path("msg").asText()).isNotEmpty();
            assertThat(error.path("type").asText()).isNotEmpty();
        });
        assertThat(stored(scope)).as("events stored, the valid one included").isZero();
    }

    // ---------------------------------------------------------------- what the facade refuses itself

    static Stream<Arguments> refusedByTheFacade() {
        ObjectNode noId = valid();
        noId.remove("id");
        ObjectNode noOccurred = valid();
        noOccurred.remove("occurred");
        ObjectNode nullId = valid();
        nullId.putNull("id");
        ObjectNode longName = valid();
        longName.put("event", "acme." + "x".repeat(1020));
        return Stream.of(
                Arguments.of("no id", noId, "body[1].id"),
                Arguments.of("a null id", nullId, "body[1].id"),
                Arguments.of("no occurred", noOccurred, "body[1].occurred"),
                Arguments.of("an event name of 1025 characters", longName, "body[1].event"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByTheFacade")
    void theFacadeRefusesWhatItCanTellIsWrong(String rule, ObjectNode invalid, String parameter) {
        Scope scope = Scope.fresh();
        ArrayNode body = Events.JSON.createArrayNode().add(valid()).add(invalid);

        HttpResponse<String> answer = client.post(scope.facade() + "/events", body.toString());

        assertThat(answer.statusCode()).as(rule + ": " + answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Events.parse(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("detail").asText()).contains(parameter);
        assertThat(stored(scope)).isZero();
        // Prefect would have refused it too
        assertThat(e2e.direct("POST", scope.prefect() + "/events", body.toString(), null).statusCode()).isEqualTo(422);
        assertThat(stored(scope)).isZero();
    }

    @Test
    void anEventNameOfExactly1024CharactersIsTaken() {
        Scope scope = Scope.fresh();
        ObjectNode longest = valid();
        longest.put("event", "acme." + "x".repeat(1019));

        HttpResponse<String> answer = client.post(scope.facade() + "/events", "[" + longest + "]");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        assertThat(stored(scope)).isOne();
    }

    @Test
    void fiveHundredLabelsAndAHundredRelatedAreTaken() {
        Scope scope = Scope.fresh();
        ObjectNode most = valid();
        most.set("resource", labels(500, "prefect.resource.id", "acme.rule.1"));
        List<ObjectNode> related = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            related.add(labels(0, "prefect.resource.id", "acme.customer." + i, "prefect.resource.role", "customer"));
        }
        most.putArray("related").addAll(related);

        HttpResponse<String> answer = client.post(scope.facade() + "/events", "[" + most + "]");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        assertThat(stored(scope)).isOne();
        JsonNode event = reader.readAll(scope, null, null).events().get(0);
        assertThat(event.path("resource").size()).isEqualTo(500);
        assertThat(event.path("related").size()).isEqualTo(100);
    }
}
