package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
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
    @TempDir
    Path stateDir;

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
                      uri: "kamelet:prefect-events-source?apiKey=%s&apiUrl=%s&accountId=%s&startTime=%s&period=200&stateFile=%s%s"
                      steps:
                        - to: mock:events
                """.formatted(FakePrefectEvents.API_KEY, prefect.baseUrl(), FakePrefectEvents.ACCOUNT, FIRST,
                stateDir.resolve("source.state"), options), beans);
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

    /** With {@code options} such as a start time (without one: now), or where the state file says it was. */
    private MockEndpoint startWithState(Path stateFile, String options) throws Exception {
        harness = new KameletHarness("""
                - route:
                    id: events
                    from:
                      uri: "kamelet:prefect-events-source?apiKey=%s&apiUrl=%s&accountId=%s&workspaceId=%s&period=200&overlap=1&stateFile=%s%s"
                      steps:
                        - to: mock:events
                """.formatted(FakePrefectEvents.API_KEY, prefect.baseUrl(), FakePrefectEvents.ACCOUNT, FakePrefectEvents.WORKSPACE,
                stateFile, options));
        MockEndpoint events = harness.context().getEndpoint("mock:events", MockEndpoint.class);
        events.setRetainFirst(-1);
        return events;
    }

    @Test
    void withoutAStartTimeItStartsAtNow() throws Exception {
        prefect.addEvents(5, Instant.now().minusSeconds(120), 5, "prefect.flow-run.Completed");
        MockEndpoint events = startWithState(stateDir.resolve("now.state"), "");
        await(() -> prefect.filterQueries() >= 1, Duration.ofSeconds(20));
        List<Map<String, Object>> later = prefect.addEvents(5, Instant.now().plusSeconds(1), 5, "prefect.flow-run.Completed");

        awaitPolls(events, 5);
        assertThat(idsOf(events)).containsExactlyInAnyOrderElementsOf(ids(later));
    }

    /**
     * The restart is given the start time a restart without state gets by default, its own now: the stored
     * watermark wins over it, so the events of the downtime (older than the overlap by then) are not skipped.
     */
    @Test
    void aRestartGoesOnFromTheStoredWatermarkAndSkipsNothingThatHappenedMeanwhile() throws Exception {
        Path stateFile = stateDir.resolve("restart.state");
        MockEndpoint events = startWithState(stateFile, "&startTime=" + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        await(() -> prefect.filterQueries() >= 1, Duration.ofSeconds(20));
        Instant seen = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        List<Map<String, Object>> before = prefect.addEvents(10, seen, 10, "prefect.flow-run.Completed");
        awaitPolls(events, 10);
        harness.close();

        // while it is down: events that are old by the time it starts again (more than the overlap before)
        List<Map<String, Object>> meanwhile = prefect.addEvents(12, seen.plusSeconds(1), 4, "prefect.flow-run.Completed");
        Instant lastMeanwhile = seen.plusSeconds(3);
        while (Instant.now().isBefore(lastMeanwhile.plusSeconds(3))) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(stateFile)).as("the watermark is in the file").contains(
                FakePrefectEvents.PREFECT_TIME.format(seen.atOffset(java.time.ZoneOffset.UTC)));

        MockEndpoint again = startWithState(stateFile, "&startTime=" + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        await(() -> again.getReceivedCounter() >= 12, Duration.ofSeconds(30));
        int queries = prefect.filterQueries();
        await(() -> prefect.filterQueries() >= queries + 2, Duration.ofSeconds(20));

        assertThat(idsOf(again)).as("every event of the downtime, none skipped").containsAll(ids(meanwhile))
                .doesNotHaveDuplicates();
        // at least once: the overlap before the stored watermark may come again (the ids are kept in memory only)
        List<String> known = new ArrayList<>(ids(before));
        known.addAll(ids(meanwhile));
        assertThat(known).containsAll(idsOf(again));
    }

    @Test
    void twoSourcesOfOneIntegrationKeepPositionsOfTheirOwn() throws Exception {
        Path stateFile = stateDir.resolve("two.state");
        harness = new KameletHarness("""
                - route:
                    from:
                      uri: "kamelet:prefect-events-source?apiKey=%1$s&apiUrl=%2$s&accountId=%3$s&startTime=%4$s&period=200&stateFile=%5$s&eventPrefixes=prefect.flow-run."
                      steps:
                        - to: mock:flows
                - route:
                    from:
                      uri: "kamelet:prefect-events-source?apiKey=%1$s&apiUrl=%2$s&accountId=%3$s&startTime=%4$s&period=200&stateFile=%5$s&eventPrefixes=prefect.task-run."
                      steps:
                        - to: mock:tasks
                """.formatted(FakePrefectEvents.API_KEY, prefect.baseUrl(), FakePrefectEvents.ACCOUNT, FIRST, stateFile));
        prefect.addEvents(5, FIRST.plusSeconds(10), 5, "prefect.flow-run.Completed");
        prefect.addEvents(5, FIRST.plusSeconds(20), 5, "prefect.task-run.Completed");
        MockEndpoint flows = harness.context().getEndpoint("mock:flows", MockEndpoint.class);
        MockEndpoint tasks = harness.context().getEndpoint("mock:tasks", MockEndpoint.class);
        await(() -> flows.getReceivedCounter() >= 5 && tasks.getReceivedCounter() >= 5, Duration.ofSeconds(30));
        harness.close();

        org.apache.camel.support.processor.state.FileStateRepository stored =
                org.apache.camel.support.processor.state.FileStateRepository.fileStateRepository(stateFile.toFile());
        stored.start();
        assertThat(stored.getCache()).hasSize(2);
        assertThat(stored.getCache().values()).allSatisfy(w -> assertThat(w).isNotBlank())
                .anySatisfy(w -> assertThat(Instant.parse(w.replace("+00:00", "Z"))).isEqualTo(FIRST.plusSeconds(10)))
                .anySatisfy(w -> assertThat(Instant.parse(w.replace("+00:00", "Z"))).isEqualTo(FIRST.plusSeconds(20)));
        stored.stop();
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
