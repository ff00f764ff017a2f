package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code prefect-events-sink} alone: a direct endpoint into the Kamelet, Prefect faked by WireMock. */
class PrefectEventsSinkTest {

    FakePrefectEvents prefect;
    DefaultCamelContext context;

    @BeforeEach
    void fake() {
        prefect = new FakePrefectEvents();
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.stop();
        }
        prefect.close();
    }

    /** Failed exchanges, the sink's batches among them, go to mock:failed. */
    private void start(String options) throws Exception {
        context = new DefaultCamelContext();
        context.getCamelContextExtension().setErrorHandlerFactory(new DeadLetterChannelBuilder("mock:failed"));
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("test.camel.yaml", """
                - route:
                    from:
                      uri: direct:events
                      steps:
                        - to: "kamelet:prefect-events-sink?apiKey=%s&apiUrl=%s&accountId=%s&workspaceId=%s%s"
                """.formatted(FakePrefectEvents.API_KEY, prefect.baseUrl(), FakePrefectEvents.ACCOUNT,
                FakePrefectEvents.WORKSPACE, options)));
        context.start();
    }

    private void send(Object body, Map<String, Object> headers) {
        Exchange out = context.createProducerTemplate().request("direct:events", e -> {
            e.getMessage().setBody(body);
            e.getMessage().getHeaders().putAll(headers);
        });
        assertThat(out.getException()).isNull();
    }

    private static String event(int i, boolean withId) {
        return "{" + (withId ? "\"id\":\"00000000-0000-4000-8000-" + String.format("%012d", i) + "\"," : "")
                + "\"event\":\"camel.test.event\",\"resource\":{\"prefect.resource.id\":\"camel.test." + i + "\"},"
                + "\"payload\":{\"n\":" + i + "}}";
    }

    @Test
    void createsNEventsWithNDistinctIdsInCeilNOverBatchCalls() throws Exception {
        start("&batchSize=100&batchTimeout=500");
        for (int i = 0; i < 250; i++) {
            send(event(i, i % 10 == 0), Map.of(
                    "Authorization", "Bearer the-callers-own-token",
                    "CamelHttpUri", "http://elsewhere.example.com/",
                    "CamelHttpMethod", "GET"));
        }
        await(() -> createdEvents().size() >= 250);
        Thread.sleep(1500);

        List<JsonNode> created = createdEvents();
        assertThat(prefect.created()).hasSize(3);
        assertThat(prefect.created()).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(created.stream().map(e -> e.path("id").asText()).distinct().count()).isEqualTo(250);
        assertThat(created).allSatisfy(e -> {
            assertThat(e.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(e.path("occurred").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        });
        assertThat(created).filteredOn(e -> e.path("payload").path("n").asInt() == 20)
                .singleElement().satisfies(e -> assertThat(e.path("id").asText()).isEqualTo("00000000-0000-4000-8000-000000000020"));
        assertThat(created.stream().map(e -> e.path("payload").path("n").asInt()).sorted().toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 250).boxed().toList());
    }

    @Test
    void takesJsonListsOfEventsToo() throws Exception {
        start("&batchSize=20&batchTimeout=300");
        for (int m = 0; m < 5; m++) {
            List<String> list = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                list.add(event(m * 10 + i, false));
            }
            send("[" + String.join(",", list) + "]", Map.of());
        }
        await(() -> createdEvents().size() >= 50);
        Thread.sleep(800);

        assertThat(prefect.created()).extracting(List::size).containsExactly(20, 20, 10);
        assertThat(createdEvents().stream().map(e -> e.path("id").asText()).distinct().count()).isEqualTo(50);
    }

    @Test
    void aTrickleOfEventsWaitsNoLongerThanTheBatchTimeout() throws Exception {
        start("&batchSize=100&batchTimeout=400");
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            send(event(i, false), Map.of());
            Thread.sleep(100);
        }
        long sent = (System.nanoTime() - t0) / 1_000_000;
        await(() -> createdEvents().size() >= 20);

        // about one call per 400 ms of trickle, although no batch filled up and events never stopped for 400 ms
        assertThat(prefect.created().size()).isGreaterThanOrEqualTo((int) (sent / 400) - 1).isLessThan(20);
        assertThat(createdEvents().stream().map(e -> e.path("id").asText()).distinct().count()).isEqualTo(20);
    }

    @Test
    void a429NeitherDropsNorDuplicatesAnEvent() throws Exception {
        prefect.throttle(1, "1");
        prefect.throttle(3, "1");
        start("&batchSize=50&batchTimeout=300");
        for (int i = 0; i < 120; i++) {
            send(event(i, false), Map.of());
        }
        await(() -> createdEvents().size() >= 120);
        Thread.sleep(1500);

        assertThat(prefect.requests()).isEqualTo(5);
        assertThat(prefect.created()).hasSize(3);
        List<JsonNode> created = createdEvents();
        assertThat(created).hasSize(120);
        assertThat(created.stream().map(e -> e.path("id").asText()).distinct().count()).isEqualTo(120);
        assertThat(context.getEndpoint("mock:failed", MockEndpoint.class).getReceivedCounter()).isZero();
    }

    @Test
    void aBatchPrefectRefusesFailsItsExchange() throws Exception {
        start("&batchSize=3&batchTimeout=300");
        MockEndpoint failed = context.getEndpoint("mock:failed", MockEndpoint.class);
        send(event(1, false), Map.of());
        send("{\"event\":\"camel.test.event\",\"resource\":{}}", Map.of());
        send(event(3, false), Map.of());

        await(() -> failed.getReceivedCounter() == 1);
        Exchange batch = failed.getExchanges().get(0);
        assertThat(batch.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).hasMessageContaining("HTTP 422");
        assertThat(batch.getMessage().getBody(String.class)).startsWith("[").contains("camel.test.1").contains("camel.test.3");
        assertThat(batch.getMessage().getHeader("PrefectEventsFailed", Integer.class)).isEqualTo(3);
    }

    @Test
    void a503IsRetriedWithTheSameIdsAndTheBatchIsCreatedOnce() throws Exception {
        prefect.failCreates(1, 503);
        start("&batchSize=5&batchTimeout=300");
        for (int i = 0; i < 5; i++) {
            send(event(i, i % 2 == 0), Map.of());
        }
        await(() -> prefect.created().size() >= 1);
        Thread.sleep(800);

        assertThat(prefect.createAttempts()).hasSize(2);
        List<String> first = ids(prefect.createAttempts().get(0));
        assertThat(first).hasSize(5).doesNotHaveDuplicates();
        assertThat(ids(prefect.createAttempts().get(1))).as("the same ids at the second attempt").isEqualTo(first);
        assertThat(prefect.created()).hasSize(1);
        assertThat(prefect.stored().keySet()).containsExactlyInAnyOrderElementsOf(first);
        assertThat(context.getEndpoint("mock:failed", MockEndpoint.class).getReceivedCounter()).isZero();
    }

    @Test
    void aBatchPrefectKeepsRefusingGoesWholeToTheDeadLetter() throws Exception {
        prefect.failCreates(Integer.MAX_VALUE, 503);
        start("&batchSize=4&batchTimeout=300&maxAttempts=2&deadLetterUri=mock:dead");
        MockEndpoint dead = context.getEndpoint("mock:dead", MockEndpoint.class);
        for (int i = 0; i < 4; i++) {
            send(event(i, i == 0), Map.of("Authorization", "Bearer the-callers-own-token"));
        }

        await(() -> dead.getReceivedCounter() == 1);
        Thread.sleep(500);
        assertThat(dead.getReceivedCounter()).isEqualTo(1);
        Exchange batch = dead.getExchanges().get(0);
        List<JsonNode> events = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(batch.getMessage().getBody(String.class)).forEach(events::add);
        assertThat(events).extracting(e -> e.path("payload").path("n").asInt()).containsExactly(0, 1, 2, 3);
        assertThat(ids(events)).as("the ids that were sent, for a resend").isEqualTo(ids(prefect.createAttempts().get(0)))
                .isEqualTo(ids(prefect.createAttempts().get(1)));
        assertThat(batch.getMessage().getHeader("PrefectEventsFailed", Integer.class)).isEqualTo(4);
        assertThat(batch.getMessage().getHeader("PrefectEventsStatus", Integer.class)).isEqualTo(503);
        assertThat(batch.getMessage().getHeader("PrefectEventsError", String.class)).contains("HTTP 503");
        assertThat(batch.getMessage().getHeaders()).doesNotContainKeys("Authorization", "CamelHttpResponseCode");
        assertThat(prefect.createAttempts()).hasSize(2);
        assertThat(prefect.stored()).isEmpty();
        assertThat(context.getEndpoint("mock:failed", MockEndpoint.class).getReceivedCounter()).isZero();
    }

    @Test
    void aConnectionFailureIsRetriedThenTheBatchGoesToTheDeadLetterWithoutAStatus() throws Exception {
        start("&batchSize=2&batchTimeout=300&maxAttempts=2&deadLetterUri=mock:dead");
        prefect.close();
        MockEndpoint dead = context.getEndpoint("mock:dead", MockEndpoint.class);
        send(event(1, true), Map.of());
        send(event(2, true), Map.of());

        await(() -> dead.getReceivedCounter() == 1);
        Exchange batch = dead.getExchanges().get(0);
        assertThat(batch.getMessage().getHeader("PrefectEventsError", String.class)).contains("failed after 2 attempts");
        assertThat(batch.getMessage().getHeaders()).doesNotContainKey("PrefectEventsStatus");
        assertThat(batch.getMessage().getHeader("PrefectEventsFailed", Integer.class)).isEqualTo(2);
        assertThat(batch.getMessage().getBody(String.class)).contains("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002");
    }

    @Test
    void aCreatePrefectDoesNotAnswerInTimeIsRetriedThenGoesToTheDeadLetter() throws Exception {
        prefect.delayCreates(3000);
        start("&batchSize=2&batchTimeout=300&maxAttempts=2&responseTimeout=400&deadLetterUri=mock:dead");
        MockEndpoint dead = context.getEndpoint("mock:dead", MockEndpoint.class);
        long started = System.nanoTime();
        send(event(1, true), Map.of());
        send(event(2, true), Map.of());

        await(() -> dead.getReceivedCounter() == 1);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        // two attempts of 400 ms each and a backoff, well before Prefect's 3 s would have answered the first
        assertThat(tookMillis).isLessThan(2900);
        assertThat(prefect.createAttempts()).hasSize(2);
        assertThat(ids(prefect.createAttempts().get(0))).isEqualTo(ids(prefect.createAttempts().get(1)));
        Exchange batch = dead.getExchanges().get(0);
        assertThat(batch.getMessage().getHeader("PrefectEventsFailed", Integer.class)).isEqualTo(2);
        assertThat(batch.getMessage().getHeader("PrefectEventsError", String.class)).contains("failed after 2 attempts");
    }

    @Test
    void aBatchTheDeadLetterRefusesTooReachesTheErrorHandler() throws Exception {
        prefect.failCreates(Integer.MAX_VALUE, 503);
        // a dead letter that cannot take the batch (no route consumes direct:nowhere, and it does not wait for one)
        start("&batchSize=2&batchTimeout=300&maxAttempts=1&deadLetterUri=direct:nowhere%3Fblock%3Dfalse");
        MockEndpoint failed = context.getEndpoint("mock:failed", MockEndpoint.class);
        send(event(1, true), Map.of());
        send(event(2, true), Map.of());

        await(() -> failed.getReceivedCounter() == 1);
        Exchange batch = failed.getExchanges().get(0);
        assertThat(batch.getMessage().getBody(String.class)).contains("00000000-0000-4000-8000-000000000001",
                "00000000-0000-4000-8000-000000000002");
    }

    @Test
    void withoutADeadLetterABatchThatKeepsFailingReachesTheErrorHandler() throws Exception {
        prefect.failCreates(Integer.MAX_VALUE, 503);
        start("&batchSize=3&batchTimeout=300&maxAttempts=2");
        MockEndpoint failed = context.getEndpoint("mock:failed", MockEndpoint.class);
        for (int i = 0; i < 3; i++) {
            send(event(i, false), Map.of());
        }

        await(() -> failed.getReceivedCounter() == 1);
        Exchange batch = failed.getExchanges().get(0);
        assertThat(batch.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).hasMessageContaining("HTTP 503");
        assertThat(ids(new com.fasterxml.jackson.databind.ObjectMapper().readTree(batch.getMessage().getBody(String.class)).findParents("event")))
                .isEqualTo(ids(prefect.createAttempts().get(1)));
        assertThat(batch.getMessage().getHeader("PrefectEventsFailed", Integer.class)).isEqualTo(3);
        assertThat(prefect.createAttempts()).hasSize(2);
    }

    @Test
    void withoutBatchingAMessageEndsAfterPrefectTookItsEvents() throws Exception {
        prefect.delayCreates(700);
        start("&batchMessages=false&batchSize=2&maxAttempts=2");
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            list.add(event(i, i == 1));
        }
        long t0 = System.nanoTime();
        Exchange out = context.createProducerTemplate().request("direct:events", e -> e.getMessage().setBody("[" + String.join(",", list) + "]"));
        long took = (System.nanoTime() - t0) / 1_000_000;

        assertThat(out.getException()).isNull();
        assertThat(took).as("two calls of 700 ms each").isGreaterThanOrEqualTo(1400);
        assertThat(prefect.created()).extracting(List::size).containsExactly(2, 1);
        List<JsonNode> answered = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.getMessage().getBody(String.class)).forEach(answered::add);
        assertThat(ids(answered)).as("the events as sent, with their ids").containsExactlyInAnyOrderElementsOf(prefect.stored().keySet())
                .contains("00000000-0000-4000-8000-000000000001");

        prefect.failCreates(Integer.MAX_VALUE, 503);
        prefect.delayCreates(0);
        Exchange failed = context.createProducerTemplate().request("direct:events", e -> e.getMessage().setBody(event(9, true)));
        assertThat(failed.getException()).isNull();
        assertThat(context.getEndpoint("mock:failed", MockEndpoint.class).getReceivedCounter()).isEqualTo(1);
        assertThat(context.getEndpoint("mock:failed", MockEndpoint.class).getExchanges().get(0)
                .getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).hasMessageContaining("HTTP 503");
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    @Test
    void sendsTheLastBatchWhenItStops() throws Exception {
        start("&batchSize=100&batchTimeout=60000");
        for (int i = 0; i < 7; i++) {
            send(event(i, false), Map.of());
        }
        assertThat(prefect.created()).isEmpty();
        context.stop();
        assertThat(createdEvents()).hasSize(7);
    }

    private List<JsonNode> createdEvents() {
        return prefect.created().stream().flatMap(List::stream).toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
