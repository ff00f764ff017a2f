package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.prefectcamel.sandbox.PrefectSandbox;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The source and the sink against the project's in-memory Prefect ({@link PrefectSandbox}), which pages with keyset
 * tokens over a snapshot, validates events like Prefect and answers 429 on demand: events written by the sink are read
 * back by the source, each once.
 */
class KameletsOnSandboxTest {

    static final String KEY = "pnu_sandbox_key";
    static final String A = PrefectSandbox.DEMO_ACCOUNT_ID;
    static final String W = PrefectSandbox.DEMO_WORKSPACE_ID;
    static final Instant START = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    PrefectSandbox sandbox;
    KameletHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private MockEndpoint start(PrefectSandbox.Builder builder, String sourceOptions, Map<String, Object> beans, String sourceSteps)
            throws Exception {
        sandbox = builder.apiKey(KEY).seed(false).build().start();
        harness = new KameletHarness("""
                - route:
                    id: write
                    from:
                      uri: direct:write
                      steps:
                        - to: "kamelet:prefect-events-sink?apiKey=%1$s&apiUrl=%2$s&accountId=%3$s&workspaceId=%4$s&batchSize=100&batchTimeout=300"
                - route:
                    id: read
                    from:
                      uri: "kamelet:prefect-events-source?apiKey=%1$s&apiUrl=%2$s&accountId=%3$s&workspaceId=%4$s&startTime=%5$s&period=300&stateFile=%8$s%6$s"
                      steps:
                %7$s
                        - to: mock:events
                """.formatted(KEY, sandbox.baseUrl(), A, W, START, sourceOptions, sourceSteps,
                java.nio.file.Files.createTempDirectory("source-state").resolve("source.state")), beans);
        MockEndpoint events = harness.context().getEndpoint("mock:events", MockEndpoint.class);
        events.setRetainFirst(-1);
        return events;
    }

    private List<String> write(int count, String prefix) {
        List<String> payloadIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = prefix + "-" + i;
            payloadIds.add(n);
            Exchange out = harness.template().request("direct:write", e -> e.getMessage().setBody(
                    "{\"event\":\"camel.test.written\",\"resource\":{\"prefect.resource.id\":\"camel.test." + n + "\"},\"payload\":{\"n\":\"" + n + "\"}}"));
            assertThat(out.getException()).isNull();
        }
        return payloadIds;
    }

    @Test
    void whatTheSinkWritesTheSourceReadsOnceOverTwentyOnePages() throws Exception {
        MockEndpoint events = start(PrefectSandbox.builder(), "&pageSize=50", Map.of(), "");
        List<String> written = write(1030, "a");
        await(() -> sandbox.store().size() >= 1030, 30);

        awaitQuiet(events, 1030);
        assertThat(sandbox.store().size()).isEqualTo(1030);
        assertThat(payloads(events)).containsExactlyInAnyOrderElementsOf(written);
        assertThat(ids(events)).doesNotHaveDuplicates().hasSize(1030);
    }

    @Test
    void eventsCreatedWhileTheSourcePagesComeOnceInALaterPoll() throws Exception {
        List<String> late = new ArrayList<>();
        AtomicInteger seen = new AtomicInteger();
        Processor createWhilePaging = exchange -> {
            if (seen.incrementAndGet() == 300) {
                late.addAll(createDirectly(150, "late"));
            }
        };
        MockEndpoint events = start(PrefectSandbox.builder(), "&pageSize=50", Map.of("createWhilePaging", createWhilePaging),
                "        - process:\n            ref: createWhilePaging");
        List<String> written = write(1030, "b");
        await(() -> sandbox.store().size() >= 1030, 30);

        awaitQuiet(events, 1180);
        List<String> all = new ArrayList<>(written);
        all.addAll(late);
        assertThat(late).hasSize(150);
        assertThat(payloads(events)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(ids(events)).doesNotHaveDuplicates();
    }

    @Test
    void throttledAnswersLoseAndRepeatNothing() throws Exception {
        MockEndpoint events = start(PrefectSandbox.builder().faultRate429(0.15).retryAfterSeconds(1), "&pageSize=50", Map.of(), "");
        List<String> written = write(300, "c");
        await(() -> sandbox.store().size() >= 300, 60);

        awaitQuiet(events, 300);
        assertThat(sandbox.store().size()).isEqualTo(300);
        assertThat(payloads(events)).containsExactlyInAnyOrderElementsOf(written);
        assertThat(ids(events)).doesNotHaveDuplicates();
    }

    /** Creates events straight through the sandbox's create call, occurred now. */
    private List<String> createDirectly(int count, String prefix) throws Exception {
        List<String> payloadIds = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String n = prefix + "-" + i;
            payloadIds.add(n);
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"occurred\":\"")
                    .append(Instant.now()).append("\",\"event\":\"camel.test.late\",\"resource\":{\"prefect.resource.id\":\"camel.test.")
                    .append(n).append("\"},\"payload\":{\"n\":\"").append(n).append("\"}}");
        }
        body.append("]");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/api/accounts/" + A + "/workspaces/" + W + "/events"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        return payloadIds;
    }

    private void awaitQuiet(MockEndpoint events, int expected) throws InterruptedException {
        await(() -> events.getReceivedCounter() >= expected, 60);
        Thread.sleep(1500);
        assertThat(events.getReceivedCounter()).isEqualTo(expected);
    }

    private static List<String> payloads(MockEndpoint events) {
        return events.getExchanges().stream().map(e -> {
            String body = e.getMessage().getBody(String.class);
            int at = body.indexOf("\"n\":\"") + 5;
            return body.substring(at, body.indexOf('"', at));
        }).toList();
    }

    private static List<String> ids(MockEndpoint events) {
        return events.getExchanges().stream().map(e -> e.getMessage().getHeader("PrefectEventId", String.class)).toList();
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }

    @SuppressWarnings("unused")
    private static Set<String> distinct(List<String> values) {
        return new HashSet<>(values);
    }
}
