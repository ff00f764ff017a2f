package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefectcamel.gateway.EventExport;
import io.prefectcamel.sandbox.StoredEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exports whose callers stall or go away: a caller that stops reading for longer than the write timeout and then
 * reads on gets an end (its status line) within a bound; one that disconnects frees its export; and neither affects
 * the exports after it. Past {@code facade.export.max-concurrent} an export is refused with a 503 at once.
 */
class ExportStallE2ETest {

    private static final long WRITE_TIMEOUT_MS = 1500;

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults()
            .property("facade.export.write-timeout-ms", Long.toString(WRITE_TIMEOUT_MS))
            .property("facade.export.max-concurrent", "2");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Scope SCOPE = Scope.fresh();
    /** Far more than the buffers between the export and a caller that does not read can hold (about 15 MB). */
    private static final int EVENTS = 20_000;
    private static final String PADDING = "x".repeat(400);

    @BeforeAll
    static void loadManyEvents() {
        Instant newest = Events.recent();
        List<StoredEvent> events = new ArrayList<>(EVENTS);
        for (int n = 0; n < EVENTS; n++) {
            events.add(event("acme.stall", "acme.stall." + n).at(newest.minusMillis(20L * n))
                    .payload("padding", PADDING).stored(SCOPE));
        }
        assertThat(e2e.sandbox().store().addAll(events)).isEqualTo(EVENTS);
    }

    /** An HTTP/1.1 exchange over a plain socket with a small receive buffer: the test decides when it reads. */
    static class RawExport implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        int status;
        String head;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean ended;

        RawExport(String query, String json) throws IOException {
            this(query, json, true);
        }

        RawExport(String query, String json, boolean waitForHead) throws IOException {
            socket = new Socket();
            socket.setReceiveBufferSize(4096);
            URI base = URI.create(e2e.baseUrl());
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(20_000);
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            String request = "POST " + SCOPE.facade() + "/events/export" + query + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            in = socket.getInputStream();
            if (waitForHead) {
                readHead();
            }
        }

        void readHead() throws IOException {
            StringBuilder h = new StringBuilder();
            while (!h.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the head: " + h);
                }
                h.append((char) b);
            }
            head = h.toString();
            status = Integer.parseInt(head.substring(9, 12));
        }

        /** Reads chunks until the body ends, the connection closes or the deadline passes; true if it ended. */
        boolean readToEnd(Duration within) throws IOException {
            long deadline = System.nanoTime() + within.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    String size = line();
                    if (size == null) {
                        return ended = true; // closed by the service
                    }
                    int n = Integer.parseInt(size.trim(), 16);
                    if (n == 0) {
                        line();
                        return ended = true;
                    }
                    byte[] chunk = in.readNBytes(n);
                    body.write(chunk);
                    if (chunk.length < n) {
                        return ended = true;
                    }
                    line();
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return ended = true; // reset by the service: the stream ended too
            }
            return false;
        }

        /** Reads about this many body bytes (whole chunks). */
        void readSome(int bytes) throws IOException {
            while (body.size() < bytes) {
                int n = Integer.parseInt(line().trim(), 16);
                body.write(in.readNBytes(n));
                line();
            }
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    return s.toString();
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.length() == 0 ? null : s.toString();
        }

        String lastLine() {
            String[] lines = body.toString(StandardCharsets.UTF_8).split("\n");
            return lines[lines.length - 1];
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static HttpResponse<String> export(String query, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(e2e.baseUrl() + SCOPE.facade() + "/events/export" + query))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            // the whole answer, body included, within a bound: a stuck export must fail the test, not hang it
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(40, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no whole answer to an export within 40 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertAWholeExportStillWorks() {
        HttpResponse<String> next = export("?max_events=1000", "{\"limit\": 200}");
        assertThat(next.statusCode()).isEqualTo(200);
        String[] lines = next.body().split("\n");
        assertThat(lines).hasSize(1001);
        JsonNode trailer = Events.parse(lines[1000]);
        assertThat(trailer.path("export_status").asText()).isEqualTo("max_events_reached");
        assertThat(trailer.path("events").asLong()).isEqualTo(1000);
    }

    private static int activeExports() {
        return e2e.service().camelContext().getRegistry().lookupByNameAndType("eventExport", EventExport.class).activeExports();
    }

    /** Threads of the exports' own pool that are running an export now. */
    private static int exportThreadsRunning() {
        return e2e.service().camelContext().getRegistry().lookupByNameAndType("exportExecutor", EventExport.Threads.class)
                .getActiveCount();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCallerThatStallsAndReadsOnGetsAnEndAndTheNextExportIsWhole() throws IOException {
        try (RawExport stalled = new RawExport("", "{\"limit\": 50}")) {
            assertThat(stalled.status).isEqualTo(200);
            assertThat(stalled.head.toLowerCase()).contains("content-type: application/x-ndjson", "cache-control: no-store",
                    "x-request-id: ", "transfer-encoding: chunked");
            stalled.readSome(10_000);
            boolean ownThread = Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("prefect-export-"));

            pause(WRITE_TIMEOUT_MS * 3);

            long resumed = System.nanoTime();
            assertThat(stalled.readToEnd(Duration.ofSeconds(15))).as("the stream ends").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - resumed)).isLessThan(Duration.ofSeconds(15));
            JsonNode trailer = Events.parse(stalled.lastLine());
            assertThat(trailer.path("export_status").asText()).as("trailer " + trailer).isEqualTo("incomplete");
            assertThat(trailer.path("error").asText()).contains("stopped reading");
            long lines = stalled.body.toString(StandardCharsets.UTF_8).lines().count();
            assertThat(trailer.path("events").asLong()).isEqualTo(lines - 1).isLessThan(EVENTS);
            // it ran on the exports' own threads, not on a Vert.x worker or Camel's wire-tap pool
            assertThat(ownThread).as("an export thread").isTrue();
        }
        assertThat(activeExports()).isZero();
        assertAWholeExportStillWorks();
    }

    @Test
    void aCallerThatDisconnectsFreesItsExport() throws IOException {
        try (RawExport gone = new RawExport("", "{\"limit\": 50}")) {
            assertThat(gone.status).isEqualTo(200);
            gone.readSome(10_000);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((activeExports() > 0 || exportThreadsRunning() > 0) && System.nanoTime() < deadline) {
            pause(50);
        }
        assertThat(activeExports()).as("exports still running").isZero();
        assertThat(exportThreadsRunning()).as("export threads still at work").isZero();
        assertAWholeExportStillWorks();
    }

    @Test
    void pastTheCapAnExportIsRefusedAtOnce() throws IOException {
        e2e.sandbox().setAddedLatencyMillis(3000);
        try (RawExport one = new RawExportLater("{\"limit\": 50}"); RawExport two = new RawExportLater("{\"limit\": 50}")) {
            pause(500); // both are reading their first page (3 s) now
            long start = System.nanoTime();
            HttpResponse<String> third = export("", "{\"limit\": 50}");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(Events.parse(third.body()).path("status").asInt()).isEqualTo(503);
            // refused before Prefect was called: Prefect takes 3 s to answer now
            assertThat(took).isLessThan(Duration.ofMillis(2000));
        } finally {
            e2e.sandbox().setAddedLatencyMillis(0);
        }
        // the refused and the abandoned exports hold nothing: the next one runs
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> after = export("?max_events=10", "{}");
        while (after.statusCode() == 503 && System.nanoTime() < deadline) {
            pause(200);
            after = export("?max_events=10", "{}");
        }
        assertThat(after.statusCode()).isEqualTo(200);
        assertAWholeExportStillWorks();
    }

    /** Sends the export request and returns at once, before the answer's head (the first page takes a while). */
    static final class RawExportLater extends RawExport {
        RawExportLater(String json) throws IOException {
            super("", json, false);
        }
    }
}
