package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefectcamel.sandbox.StoredEvent;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The NDJSON export through the facade against the sandbox: 10,000 events arrive once each in the query's order
 * with a final status line; max_events stops it; Prefect failing part-way ends it with {@code incomplete}.
 */
class ExportE2ETest {

    /** Injected 429s say Retry-After: 0, so the service's retries (3 attempts) are spent at once. */
    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults().sandbox(b -> b.retryAfterSeconds(0));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Scope SCOPE = Scope.fresh();
    private static final int EVENTS = 10_000;
    /** The events, newest first: the order of a query that does not say otherwise. */
    private static final List<String> NEWEST_FIRST = new ArrayList<>();
    private static final List<String> ODD_OLDEST_FIRST = new ArrayList<>();

    @BeforeAll
    static void loadTenThousandEvents() {
        Instant newest = Events.recent();
        List<StoredEvent> events = new ArrayList<>(EVENTS);
        for (int n = 0; n < EVENTS; n++) {
            Events.Event e = event(n % 2 == 0 ? "acme.export.even" : "acme.export.odd", "acme.export." + n)
                    .at(newest.minusMillis(50L * n)).label("acme.n", Integer.toString(n))
                    .related("batch", "acme.batch." + n / 1000).payload("n", Integer.toString(n));
            events.add(e.stored(SCOPE));
            NEWEST_FIRST.add(e.id());
            if (n % 2 == 1) {
                ODD_OLDEST_FIRST.add(0, e.id());
            }
        }
        assertThat(e2e.sandbox().store().addAll(events)).isEqualTo(EVENTS);
    }

    /** An export's answer: the event lines, and the status line that ended it. */
    record Export(int status, String contentType, List<JsonNode> events, JsonNode trailer, String body) {

        List<String> ids() {
            return Events.ids(events);
        }
    }

    /** Runs an export and reads it to its end; {@code afterFirstLine} runs once the first line has arrived. */
    private Export export(Scope scope, String query, String body, Runnable afterFirstLine) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(e2e.baseUrl() + scope.facade() + "/events/export" + query))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<InputStream> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String contentType = answer.headers().firstValue("Content-Type").orElse("");
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    if (lines.size() == 1 && afterFirstLine != null) {
                        afterFirstLine.run();
                    }
                }
            }
            assertThat(lines).as("lines holding the key").noneMatch(TestKey::isIn);
            if (answer.statusCode() != 200) {
                return new Export(answer.statusCode(), contentType, List.of(), null, String.join("\n", lines));
            }
            assertThat(lines).as("export lines").isNotEmpty();
            List<JsonNode> events = new ArrayList<>(lines.size());
            for (String line : lines.subList(0, lines.size() - 1)) {
                events.add(Events.parse(line));
            }
            JsonNode trailer = Events.parse(lines.get(lines.size() - 1));
            return new Export(answer.statusCode(), contentType, events, trailer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertTrailer(Export export, String status, long events) {
        assertThat(export.trailer().path("export_status").asText()).as("trailer " + export.trailer()).isEqualTo(status);
        assertThat(export.trailer().path("events").asLong()).as("trailer " + export.trailer()).isEqualTo(events);
    }

    @Test
    void tenThousandEventsArriveOnceEachInTheQuerysOrder() {
        Export export = export(SCOPE, "", "{\"limit\": 200}", null);

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        assertThat(export.ids()).hasSize(EVENTS).doesNotHaveDuplicates().containsExactlyElementsOf(NEWEST_FIRST);
        assertTrailer(export, "complete", EVENTS);
        assertThat(export.trailer().has("error")).isFalse();
        JsonNode first = export.events().get(0);
        assertThat(first.path("event").asText()).isEqualTo("acme.export.even");
        assertThat(first.path("resource").path("acme.n").asText()).isEqualTo("0");
        assertThat(first.path("payload").path("n").asText()).isEqualTo("0");
        assertThat(first.path("workspace").asText()).isEqualTo(SCOPE.workspace());
    }

    @Test
    void aFilteredAscendingExportKeepsItsOrder() {
        Export export = export(SCOPE, "", "{\"limit\": 150, \"filter\": {\"order\": \"ASC\", "
                + "\"event\": {\"prefix\": [\"acme.export.odd\"]}}}", null);

        assertThat(export.ids()).hasSize(EVENTS / 2).doesNotHaveDuplicates().containsExactlyElementsOf(ODD_OLDEST_FIRST);
        assertTrailer(export, "complete", EVENTS / 2);
    }

    @Test
    void maxEventsStopsTheExport() {
        Export export = export(SCOPE, "?max_events=250", "{\"limit\": 200}", null);

        assertThat(export.ids()).containsExactlyElementsOf(NEWEST_FIRST.subList(0, 250));
        assertTrailer(export, "max_events_reached", 250);
    }

    @Test
    void anExportOfNothingIsCompleteAndEmpty() {
        Export export = export(Scope.fresh(), "", "{}", null);

        assertThat(export.events()).isEmpty();
        assertTrailer(export, "complete", 0);
    }

    @Test
    void anAccountExportHoldsEveryWorkspace() {
        Scope one = Scope.fresh();
        Scope two = one.otherWorkspace();
        List<Events.Event> a = new ArrayList<>();
        List<Events.Event> b = new ArrayList<>();
        Instant newest = Events.recent();
        for (int n = 0; n < 30; n++) {
            (n % 3 == 0 ? b : a).add(event("acme.export.account", "acme.export." + n).at(newest.minusSeconds(n)));
        }
        e2e.reader().create(one, a);
        e2e.reader().create(two, b);

        HttpRequest request = HttpRequest.newBuilder(URI.create(e2e.baseUrl() + "/v1/api/accounts/" + one.account() + "/events/export"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"limit\": 7}")).build();
        List<String> lines;
        try {
            lines = HTTP.send(request, HttpResponse.BodyHandlers.ofLines()).body().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }

        List<JsonNode> events = lines.subList(0, lines.size() - 1).stream().map(Events::parse).toList();
        assertThat(Events.ids(events)).doesNotHaveDuplicates().containsExactlyElementsOf(
                Stream.concat(a.stream(), b.stream()).sorted(Comparator.comparing(Events.Event::occurred).reversed())
                        .map(Events.Event::id).toList());
        assertThat(events).hasSize(30);
        assertThat(Events.parse(lines.get(lines.size() - 1)).path("export_status").asText()).isEqualTo("complete");
    }

    /**
     * Prefect starts refusing every call once the first line has arrived. The export reads 50 events a page, 200
     * pages, and each call to the sandbox takes 25 ms more than it would: the export cannot have read every page
     * (at least 5 s) before the refusals begin, whatever the buffers between it and this test hold.
     */
    @Test
    void prefectFailingPartWayEndsTheExportIncomplete() {
        e2e.sandbox().setAddedLatencyMillis(25);
        Export export;
        try {
            export = export(SCOPE, "", "{\"limit\": 50}", () -> e2e.sandbox().setFaultRate429(1.0));
        } finally {
            e2e.sandbox().setFaultRate429(0);
            e2e.sandbox().setAddedLatencyMillis(0);
        }

        assertThat(export.status()).isEqualTo(200);
        JsonNode trailer = export.trailer();
        assertThat(trailer.path("export_status").asText()).as("trailer " + trailer).isEqualTo("incomplete");
        assertThat(trailer.path("error").asText()).contains("429");
        int written = export.events().size();
        assertThat(trailer.path("events").asLong()).isEqualTo(written);
        assertThat(written).isGreaterThanOrEqualTo(50).isLessThan(EVENTS).isEqualTo(written / 50 * 50);
        assertThat(export.ids()).doesNotHaveDuplicates().containsExactlyElementsOf(NEWEST_FIRST.subList(0, written));

        // the next export, with Prefect answering again, is whole
        assertTrailer(export(SCOPE, "?max_events=60", "{\"limit\": 50}", null), "max_events_reached", 60);
    }

    @Test
    void aBadFirstRequestIsAnsweredAsUsualNotStreamed() {
        Export export = export(SCOPE, "?max_events=0", "{}", null);

        assertThat(export.status()).isEqualTo(400);
        assertThat(export.contentType()).isEqualTo("application/problem+json");

        Export refused = export(SCOPE, "", "{\"filter\": {\"occurred\": {\"since\": \"yesterday\"}}}", null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(Events.parse(refused.body()).path("detail").isArray()).isTrue();
    }
}
