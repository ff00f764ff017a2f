package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prefect-events-source} alone: a route from the Kamelet to a mock endpoint, Prefect faked by WireMock. */
class PrefectEventsSourceTest {

    static final Instant FIRST = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    FakePrefectEvents prefect;
    KameletHarness harness;

    @BeforeEach
    void fake() {
        prefect = new FakePrefectEvents();
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
        prefect.close();
    }

    private MockEndpoint start(String options) throws Exception {
        return start(options, Map.of());
    }

    private MockEndpoint start(String options, Map<String, Object> beans) throws Exception {
        harness = new KameletHarness("""
                - route:
                    id: events
                    from:
                      uri: "kamelet:prefect-events-source?apiKey=%s&apiUrl=%s&accountId=%s&startTime=%s&period=200%s"
                      steps:
                        - to: mock:events
                """.formatted(FakePrefectEvents.API_KEY, prefect.baseUrl(), FakePrefectEvents.ACCOUNT, FIRST, options), beans);
        MockEndpoint events = harness.context().getEndpoint("mock:events", MockEndpoint.class);
        events.setRetainFirst(-1);
        return events;
    }

    private static String workspace() {
        return "&workspaceId=" + FakePrefectEvents.WORKSPACE;
    }

    @Test
    void emitsEveryEventOnceOverTwentyOnePagesOfFifty() throws Exception {
        List<Map<String, Object>> all = prefect.addEvents(1030, FIRST, 4, "prefect.flow-run.Completed");
        MockEndpoint events = start(workspace() + "&pageSize=50");

        awaitPolls(events, 1030);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(all));
        assertThat(prefect.pagesServed()).isGreaterThanOrEqualTo(21);
        Exchange first = events.getExchanges().get(0);
        assertThat(first.getMessage().getHeader("PrefectEventId")).isEqualTo(all.get(0).get("id"));
        assertThat(first.getMessage().getHeader("PrefectEventName")).isEqualTo("prefect.flow-run.Completed");
        assertThat(first.getMessage().getHeader("PrefectResourceId")).isEqualTo("prefect.flow-run." + all.get(0).get("id"));
        assertThat(first.getMessage().getHeader("PrefectEventOccurred")).isEqualTo(all.get(0).get("occurred"));
        assertThat(first.getMessage().getBody(String.class)).startsWith("{").contains("\"id\":\"" + all.get(0).get("id") + "\"");
        assertThat(first.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(first.getMessage().getHeaders()).doesNotContainKeys("Authorization", "CamelHttpUri", "CamelHttpResponseCode");
    }

    @Test
    void emitsEveryEventOnceOverSixPagesOfTwoHundred() throws Exception {
        List<Map<String, Object>> all = prefect.addEvents(1030, FIRST, 7, "prefect.flow-run.Running");
        MockEndpoint events = start(workspace() + "&pageSize=200");

        awaitPolls(events, 1030);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(all));
        assertThat(prefect.pagesServed()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aSecondPollEmitsOnlyTheNewEventsEvenThoseSharingTheLastTimestamp() throws Exception {
        List<Map<String, Object>> all = new ArrayList<>(prefect.addEvents(300, FIRST, 3, "prefect.flow-run.Completed"));
        MockEndpoint events = start(workspace() + "&pageSize=100");
        awaitPolls(events, 300);

        Instant last = FIRST.plusSeconds(99);
        all.addAll(prefect.addEvents(5, last, 5, "prefect.flow-run.Completed"));
        all.addAll(prefect.addEvents(20, last.plusSeconds(1), 2, "prefect.flow-run.Completed"));
        awaitPolls(events, 325);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(all));
    }

    @Test
    void eventsCreatedWhileItPagesAreNeitherLostNorDuplicated() throws Exception {
        List<Map<String, Object>> all = new CopyOnWriteArrayList<>(prefect.addEvents(1030, FIRST, 10, "prefect.flow-run.Completed"));
        prefect.onPage(page -> {
            if (page == 3) {
                // newer events, sorting after everything read so far ...
                all.addAll(prefect.addEvents(30, FIRST.plusSeconds(200), 3, "prefect.flow-run.Completed"));
                // ... and late ones, sorting before the current offset (they shift it: one event comes twice)
                all.addAll(prefect.addEvents(5, FIRST.plusSeconds(2), 5, "prefect.flow-run.Completed"));
            }
        });
        MockEndpoint events = start(workspace() + "&pageSize=50&overlap=300");

        awaitPolls(events, 1065);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(all));
    }

    @Test
    void a429MidPagingIsWaitedOut() throws Exception {
        List<Map<String, Object>> all = prefect.addEvents(1030, FIRST, 4, "prefect.flow-run.Completed");
        prefect.throttle(4, "1");
        MockEndpoint events = start(workspace() + "&pageSize=100");

        awaitPolls(events, 1030);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(all));
        assertThat(prefect.requests()).isGreaterThan(prefect.pagesServed());
    }

    @Test
    void readsTheWholeAccountWithoutAWorkspaceAndFiltersByEventNamePrefix() throws Exception {
        List<Map<String, Object>> completed = prefect.addEvents(150, FIRST, 2, "prefect.flow-run.Completed");
        prefect.addEvents(150, FIRST, 2, "prefect.task-run.Completed");
        MockEndpoint events = start("&pageSize=200&eventPrefixes=prefect.flow-run.");

        awaitPolls(events, 150);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(completed));
        assertThat(prefect.accountLevelCalls()).isGreaterThan(0);
    }

    @Test
    void aPersistentIdempotentRepositoryKeepsARestartFromHandingEventsOnAgain(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> first = prefect.addEvents(120, FIRST, 2, "prefect.flow-run.Completed");
        File store = dir.resolve("seen.txt").toFile();
        MockEndpoint events = start(workspace() + "&pageSize=50&idempotentRepository=seen",
                Map.of("seen", FileIdempotentRepository.fileIdempotentRepository(store, 1000)));
        awaitPolls(events, 120);
        harness.close();

        // restarted: the watermark is back at startTime, the repository remembers
        List<Map<String, Object>> more = prefect.addEvents(30, FIRST.plusSeconds(600), 3, "prefect.flow-run.Completed");
        events = start(workspace() + "&pageSize=50&idempotentRepository=seen",
                Map.of("seen", FileIdempotentRepository.fileIdempotentRepository(store, 1000)));
        awaitPolls(events, 30);

        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(more));
        assertThat(ids(first)).doesNotContainAnyElementsOf(idsOf(events));
    }

    /** Waits until {@code expected} events arrived and two more polls came and went without adding any. */
    private void awaitPolls(MockEndpoint events, int expected) throws Exception {
        await(() -> events.getReceivedCounter() >= expected, Duration.ofSeconds(60));
        int queries = prefect.filterQueries();
        await(() -> prefect.filterQueries() >= queries + 2, Duration.ofSeconds(20));
        assertThat(events.getReceivedCounter()).isEqualTo(expected);
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static List<String> idsOf(MockEndpoint events) {
        return events.getExchanges().stream().map(e -> e.getMessage().getHeader("PrefectEventId", String.class)).toList();
    }

    private static List<String> ids(List<Map<String, Object>> events) {
        return events.stream().map(e -> (String) e.get("id")).toList();
    }
}
