package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefectcamel.sandbox.StoredEvent;
import io.prefectcamel.testing.FacadeClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox refuses 30% of all calls with 429 (Retry-After: 0). The service waits them out within its budget (two
 * attempts here), and past it answers the caller Prefect's 429 with a Retry-After; a caller that retries then gets
 * every event stored exactly once, and every page read exactly once. An events create whose answer is lost after the
 * sandbox stored it (a 503 in its place) is sent again with the same ids, and each event is still stored once.
 */
class RetriesE2ETest {

    private static final double FAULT_RATE = 0.3;

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults()
            .sandbox(b -> b.retryAfterSeconds(0))
            .withLostAnswers()
            .property("prefect.retry.max-attempts", "2");

    private final FacadeClient client = e2e.client();

    @AfterEach
    void prefectAnswersAgain() {
        e2e.sandbox().setFaultRate429(0);
        e2e.lostAnswers().loseNext(0);
    }

    /** Counts what the caller saw. */
    private static final class Outcomes {
        int ok;
        int rateLimited;
    }

    /** Sends until the answer is not a 429 (at most 50 times); checks every 429 is an honest one. */
    private HttpResponse<String> untilNot429(Outcomes outcomes, java.util.function.Supplier<HttpResponse<String>> call) {
        for (int attempt = 1; attempt <= 50; attempt++) {
            HttpResponse<String> answer = call.get();
            if (answer.statusCode() != 429) {
                outcomes.ok++;
                return answer;
            }
            outcomes.rateLimited++;
            assertThat(answer.headers().firstValue("Retry-After")).as("Retry-After of a 429").isPresent();
            assertThat(Events.parse(answer.body()).path("detail").asText()).isNotEmpty();
        }
        throw new AssertionError("50 answers in a row were 429");
    }

    private List<StoredEvent> stored(Scope scope) {
        return e2e.sandbox().store().events().stream().filter(e -> scope.workspace().equals(e.workspace())).toList();
    }

    @Test
    void threeHundredEventsInSmallBatchesArriveExactlyOnce() {
        Scope scope = Scope.fresh();
        Instant newest = Events.recent();
        List<String> ids = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        e2e.sandbox().setFaultRate429(FAULT_RATE);

        for (int batch = 0; batch < 30; batch++) {
            List<Events.Event> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = batch * 10 + i;
                events.add(event("acme.retry.item", "acme.retry." + n).at(newest.minusMillis(n)));
            }
            events.forEach(e -> ids.add(e.id()));
            String body = Events.body(events);
            HttpResponse<String> answer = untilNot429(outcomes, () -> client.post(scope.facade() + "/events", body));
            assertThat(answer.statusCode()).as("create, batch " + batch + ": " + answer.body()).isEqualTo(204);
        }
        e2e.sandbox().setFaultRate429(0);

        assertThat(outcomes.ok).isEqualTo(30);
        List<StoredEvent> stored = stored(scope);
        assertThat(stored).extracting(StoredEvent::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        Reader.Pages pages = e2e.reader().readAll(scope, null, 200);
        assertThat(pages.total()).isEqualTo(300);
        assertThat(pages.ids()).doesNotHaveDuplicates().containsExactlyElementsOf(ids);
    }

    @Test
    void everyPageIsReadOnceAlthoughPrefectRateLimits() {
        Scope scope = Scope.fresh();
        Instant newest = Events.recent();
        List<Events.Event> events = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            events.add(event("acme.retry.page", "acme.retry." + n).at(newest.minusMillis(n)));
        }
        e2e.reader().create(scope, events);
        Outcomes outcomes = new Outcomes();
        e2e.sandbox().setFaultRate429(FAULT_RATE);

        List<String> read = new ArrayList<>();
        Set<String> links = new HashSet<>();
        HttpResponse<String> answer = untilNot429(outcomes, () -> client.post(scope.facade() + "/events/filter", "{\"limit\": 20}"));
        while (true) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode page = Events.parse(answer.body());
            assertThat(page.path("total").asLong()).isEqualTo(300);
            read.addAll(Events.ids(page.path("events")));
            if (!Reader.hasNext(page)) {
                break;
            }
            String next = page.path("next_page").asText();
            assertThat(links.add(next)).as("a new link").isTrue();
            answer = untilNot429(outcomes, () -> client.get(next));
        }

        assertThat(outcomes.ok).isEqualTo(15);
        assertThat(read).doesNotHaveDuplicates().containsExactlyElementsOf(events.stream().map(Events.Event::id).toList());
    }

    @Test
    void countsAndTagsAreRetriedToo() {
        Scope scope = Scope.fresh();
        e2e.reader().create(scope, List.of(event("acme.retry.tagged", "acme.retry.t").related("tag", "prefect.tag.retry")));
        Outcomes outcomes = new Outcomes();
        e2e.sandbox().setFaultRate429(FAULT_RATE);

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> counts = untilNot429(outcomes, () -> client.post(scope.facade() + "/events/count-by/event", "{}"));
            assertThat(Events.parse(counts.body()).get(0).path("count").asLong()).isEqualTo(1);
            HttpResponse<String> tags = untilNot429(outcomes, () -> client.get(scope.facade() + "/tags"));
            assertThat(Events.parse(tags.body()).path("count").asInt()).isEqualTo(1);
        }
        assertThat(outcomes.ok).isEqualTo(20);
    }

    private List<Events.Event> tenEvents(String name) {
        Instant newest = Events.recent();
        List<Events.Event> events = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            events.add(event(name, "acme.lost." + n).at(newest.minusMillis(n)));
        }
        return events;
    }

    @Test
    void aCreateWhoseAnswerIsLostIsRetriedAndStoresEachEventOnce() {
        Scope scope = Scope.fresh();
        List<Events.Event> events = tenEvents("acme.lost.once");
        e2e.lostAnswers().loseNext(1);

        HttpResponse<String> answer = client.post(scope.facade() + "/events", Events.body(events));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        assertThat(e2e.lostAnswers().creates()).as("the create reached Prefect twice, the same ids each time").isEqualTo(2);
        assertThat(stored(scope)).extracting(StoredEvent::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Events.Event::id).toList());
    }

    @Test
    void whenEveryAnswerIsLostTheCallerIsToldResendingIsSafeAndItIs() {
        Scope scope = Scope.fresh();
        List<Events.Event> events = tenEvents("acme.lost.twice");
        e2e.lostAnswers().loseNext(2);

        HttpResponse<String> answer = client.post(scope.facade() + "/events", Events.body(events));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(Events.parse(answer.body()).path("detail").asText()).contains("unknown").contains("same ids")
                .contains("safe");
        assertThat(e2e.lostAnswers().creates()).isEqualTo(2);
        assertThat(stored(scope)).as("stored although the caller was told 503").hasSize(10);

        HttpResponse<String> again = client.post(scope.facade() + "/events", Events.body(events));

        assertThat(again.statusCode()).as(again.body()).isEqualTo(204);
        assertThat(stored(scope)).extracting(StoredEvent::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Events.Event::id).toList());
    }
}
