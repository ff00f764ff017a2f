package io.prefectcamel.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategyAware;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams every event of a query as NDJSON: the route reads the first page (so bad input and Prefect's own
 * errors answer as usual), then a wire-tapped route on the exports' own bounded executor follows the next_page links
 * and writes each page straight to the caller's connection. At most one page waits in memory for a caller; one that
 * reads nothing for {@code writeTimeoutMillis} ends the export (its last line says so) and one that disconnects ends
 * it at once. The last line says whether the export is complete. At most {@code maxConcurrent} exports run at a
 * time: past that an export is refused with a 503 before Prefect is called.
 */
public class EventExport {

    public static final String CONTENT_TYPE = "application/x-ndjson";
    static final String SINK = "export.sink";
    static final String SLOT = "export.slot";
    static final String RESPONSE = "export.response";
    static final String PAGE = "export.page";
    static final String NEXT = "export.next";
    static final String MAX = "export.max";
    static final String COUNT = "export.count";
    static final String IDS = "export.ids";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(EventExport.class);

    private long writeTimeoutMillis = 120_000;
    private int pipeChunks = 64;
    private int maxConcurrent = 4;
    private int retryAfterSeconds = 5;
    private volatile Semaphore slots = new Semaphore(maxConcurrent);
    private final AtomicInteger active = new AtomicInteger();

    public void setWriteTimeoutMillis(long writeTimeoutMillis) {
        this.writeTimeoutMillis = writeTimeoutMillis;
    }

    public void setPipeChunks(int pipeChunks) {
        this.pipeChunks = pipeChunks;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("facade.export.max-concurrent must be at least 1, not " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.slots = new Semaphore(maxConcurrent);
    }

    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The exports running now (admitted and not yet ended). */
    public int activeExports() {
        return active.get();
    }

    /**
     * Checks max_events, takes one of the export slots (or answers 503 and stops the route) and keeps the path ids,
     * which the Prefect call drops with the other headers.
     */
    public void start(Exchange exchange) {
        Message in = exchange.getMessage();
        String max = in.getHeader("max_events", String.class);
        long limit = Long.MAX_VALUE;
        if (max != null && !max.isEmpty()) {
            try {
                limit = Long.parseLong(max);
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(400, "max_events", "'max_events' must be an integer.");
            }
            if (limit < 1) {
                throw new InvalidRequestException(400, "max_events", "'max_events' must be at least 1.");
            }
        }
        Semaphore pool = slots;
        if (!pool.tryAcquire()) {
            in.setHeader("Retry-After", retryAfterSeconds);
            Problems.answer(exchange, 503, "Too many exports", "The service runs at most " + maxConcurrent
                    + " exports at a time (facade.export.max-concurrent) and all are busy. Nothing was sent to Prefect;"
                    + " retry after " + retryAfterSeconds + " seconds.", null);
            exchange.setRouteStop(true);
            LOG.info("Export refused: {} exports are running", maxConcurrent);
            return;
        }
        active.incrementAndGet();
        exchange.setProperty(SLOT, new Slot(pool, active));
        exchange.setProperty(MAX, limit);
        exchange.setProperty(IDS, new String[] {in.getHeader("account-id", String.class), in.getHeader("workspace-id", String.class)});
        if (exchange.getIn() instanceof HttpMessage http && http.getResponse() != null) {
            exchange.setProperty(RESPONSE, http.getResponse());
        }
    }

    /** At the end of the export route: frees the slot unless the export went on to the page-following route. */
    public void routeDone(Exchange exchange) {
        if (exchange.getProperty(SINK) == null) {
            Slot slot = exchange.getProperty(SLOT, Slot.class);
            if (slot != null) {
                slot.release();
            }
        }
    }

    /**
     * After a good first page: the answer becomes the stream (the caller's connection itself when the call came over
     * platform-http's Vert.x server, else a pipe the caller reads); the page is kept for the writer.
     */
    public void open(Exchange exchange) {
        Message msg = exchange.getMessage();
        exchange.setProperty(PAGE, msg.getBody(String.class));
        HttpServerResponse response = exchange.getProperty(RESPONSE, HttpServerResponse.class);
        Sink sink = response != null ? new ResponseSink(response, answerHeaders(exchange), writeTimeoutMillis)
                : new Pipe(pipeChunks, writeTimeoutMillis);
        exchange.setProperty(SINK, sink);
        exchange.setProperty(COUNT, 0L);
        msg.setBody(null);
    }

    /**
     * The answer of the export route. Over Vert.x, it waits until the stream has ended (the page-following route, or
     * the caller going away, ends it), so that platform-http finds the response already written.
     */
    public void respond(Exchange exchange) throws InterruptedException {
        Message msg = exchange.getMessage();
        Sink sink = exchange.getProperty(SINK, Sink.class);
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        msg.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        if (sink instanceof ResponseSink r) {
            r.awaitEnd();
            msg.setBody(null);
        } else {
            msg.setBody(sink);
        }
    }

    /** The headers the answer would have had (X-Request-Id, ...), through the endpoint's header filter. */
    private static Map<String, String> answerHeaders(Exchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        HeaderFilterStrategy filter = exchange.getFromEndpoint() instanceof HeaderFilterStrategyAware aware
                ? aware.getHeaderFilterStrategy() : null;
        if (filter == null) {
            return headers;
        }
        for (Map.Entry<String, Object> h : exchange.getMessage().getHeaders().entrySet()) {
            Object value = h.getValue();
            String name = h.getKey();
            if ((value instanceof String || value instanceof Number) && !name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")
                    && !filter.applyFilterToCamelHeaders(name, value, exchange)) {
                headers.put(name, value.toString());
            }
        }
        return headers;
    }

    /** Restores the headers the page operation needs before each call. */
    public void nextRequest(Exchange exchange) {
        Message msg = exchange.getMessage();
        String[] ids = exchange.getProperty(IDS, String[].class);
        msg.removeHeaders("*");
        msg.setHeader("account-id", ids[0]);
        if (ids[1] != null) {
            msg.setHeader("workspace-id", ids[1]);
        }
        msg.setHeader("page-token", NextPageLinks.pageToken(exchange.getProperty(NEXT, String.class)));
        msg.setBody(null);
    }

    /** Writes the page (the first one, kept by open, or the one just read) and notes its next_page. */
    public void writePage(Exchange exchange) throws IOException {
        Sink sink = exchange.getProperty(SINK, Sink.class);
        String page = exchange.getProperty(PAGE, String.class);
        exchange.removeProperty(PAGE);
        Message msg = exchange.getMessage();
        if (sink.gone()) {
            stopped(exchange, sink);
            return;
        }
        if (page == null) {
            int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status != 200) {
                fail(exchange, "Prefect answered " + status + " while reading a page: " + msg.getBody(String.class));
                return;
            }
            page = msg.getBody(String.class);
        }
        JsonNode node = JSON.readTree(page);
        long before = exchange.getProperty(COUNT, 0L, Long.class);
        long count = before;
        long max = exchange.getProperty(MAX, Long.MAX_VALUE, Long.class);
        StringBuilder lines = new StringBuilder(page.length() + 64);
        for (JsonNode event : node.path("events")) {
            if (count >= max) {
                break;
            }
            lines.append(JSON.writeValueAsString(event)).append('\n');
            count++;
        }
        boolean taken = sink.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(COUNT, taken ? count : before);
        if (!taken || sink.gone() || sink.stalled()) {
            stopped(exchange, sink);
            return;
        }
        JsonNode next = node.get("next_page");
        if (count >= max) {
            trailer(exchange, "max_events_reached", null);
        } else if (next == null || next.isNull()) {
            trailer(exchange, "complete", null);
        } else {
            exchange.setProperty(NEXT, next.asText());
        }
    }

    /** The caller went away or stopped reading: no more pages; a caller that is still there gets the last line. */
    private void stopped(Exchange exchange, Sink sink) {
        exchange.setProperty(NEXT, null);
        if (sink.gone()) {
            LOG.info("Export stopped after {} events: the caller went away", exchange.getProperty(COUNT));
            sink.finish(null);
        } else {
            LOG.info("Export stopped after {} events: the caller read nothing for {} ms", exchange.getProperty(COUNT),
                    writeTimeoutMillis);
            trailer(exchange, "incomplete", "The caller stopped reading for more than " + writeTimeoutMillis
                    + " ms (facade.export.write-timeout-ms), so the export stopped.");
        }
    }

    /** A failure in the wire-tapped route (anything unexpected) still ends the stream with a clear last line. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        fail(exchange, e == null ? "unknown failure" : e.getClass().getSimpleName());
    }

    /** Last step of the page-following route, whatever happened: the stream is ended and the slot freed. */
    public void finished(Exchange exchange) {
        try {
            Sink sink = exchange.getProperty(SINK, Sink.class);
            if (sink != null && !sink.finished()) {
                fail(exchange, "the export ended unexpectedly");
            }
        } finally {
            Slot slot = exchange.getProperty(SLOT, Slot.class);
            if (slot != null) {
                slot.release();
            }
        }
    }

    private void fail(Exchange exchange, String why) {
        LOG.warn("Export cut after {} events: {}", exchange.getProperty(COUNT), why);
        trailer(exchange, "incomplete", why);
    }

    private void trailer(Exchange exchange, String status, String error) {
        exchange.setProperty(NEXT, null);
        Sink sink = exchange.getProperty(SINK, Sink.class);
        if (sink == null || sink.finished()) {
            return;
        }
        ObjectNode last = JSON.createObjectNode();
        last.put("export_status", status);
        last.put("events", exchange.getProperty(COUNT, 0L, Long.class));
        if (error != null) {
            last.put("error", error.length() > 2000 ? error.substring(0, 2000) : error);
        }
        sink.finish((last + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** One admitted export's hold on the cap, given back once. */
    static final class Slot {
        private final Semaphore pool;
        private final AtomicInteger active;
        private final AtomicBoolean released = new AtomicBoolean();

        Slot(Semaphore pool, AtomicInteger active) {
            this.pool = pool;
            this.active = active;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                active.decrementAndGet();
                pool.release();
            }
        }
    }

    /** Where an export's lines go. */
    interface Sink {
        /** Hands over a chunk; false if it was not taken (the caller is gone or was too slow to make room). */
        boolean write(byte[] chunk);

        /** Ends the stream with this last line (null: without one); at most once, later calls do nothing. */
        void finish(byte[] last);

        boolean finished();

        /** The caller went away. */
        boolean gone();

        /** The caller read nothing for the write timeout. */
        boolean stalled();
    }

    /**
     * The caller's own Vert.x response: chunks are written as they come, never more than two pages ahead of what
     * the connection has taken. A write the connection has not taken within the timeout marks the caller stalled;
     * the last line then goes out with whatever is buffered, and if the caller does not take even that within the
     * timeout (30 s at least), the connection is closed (which frees the buffers).
     */
    static final class ResponseSink implements Sink {
        /** How long at least a stalled caller has to take the last line before its connection is closed. */
        static final long MIN_CLOSE_GRACE_MILLIS = 30_000;
        private final HttpServerResponse response;
        private final Map<String, String> headers;
        private final long timeoutMillis;
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final AtomicBoolean finishing = new AtomicBoolean();
        private volatile boolean gone;
        private volatile boolean stalled;
        private boolean headWritten;
        private Future<Void> previous;

        ResponseSink(HttpServerResponse response, Map<String, String> headers, long timeoutMillis) {
            this.response = response;
            this.headers = headers;
            this.timeoutMillis = timeoutMillis;
            response.closeHandler(v -> wentAway());
            if (response.closed()) {
                wentAway();
            }
        }

        private void wentAway() {
            gone = true;
            finish(null);
        }

        private void head() {
            if (!headWritten) {
                headWritten = true;
                response.setStatusCode(200).setChunked(true).putHeader("Content-Type", CONTENT_TYPE);
                headers.forEach(response::putHeader);
            }
        }

        @Override
        public boolean write(byte[] chunk) {
            if (gone || finishing.get()) {
                return false;
            }
            Future<Void> before;
            try {
                synchronized (this) {
                    head();
                    before = previous;
                    previous = response.write(Buffer.buffer(chunk));
                }
            } catch (IllegalStateException e) {
                gone = true;
                return false;
            }
            if (before != null) {
                try {
                    before.toCompletionStage().toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    stalled = true;
                } catch (ExecutionException e) {
                    gone = true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    gone = true;
                }
            }
            return true;
        }

        @Override
        public void finish(byte[] last) {
            if (!finishing.compareAndSet(false, true)) {
                return;
            }
            try {
                Future<Void> end;
                synchronized (this) {
                    if (!gone && last != null) {
                        head();
                        end = response.end(Buffer.buffer(last));
                    } else if (!response.ended()) {
                        end = response.end();
                    } else {
                        end = null;
                    }
                }
                if (end != null && !gone) {
                    long grace = Math.max(timeoutMillis, MIN_CLOSE_GRACE_MILLIS);
                    end.toCompletionStage().toCompletableFuture().orTimeout(grace, TimeUnit.MILLISECONDS)
                            .whenComplete((v, e) -> {
                                if (e != null && !response.closed()) {
                                    LOG.info("Closing an export's connection: its caller took nothing for {} ms", grace);
                                    response.close();
                                }
                            });
                }
            } catch (IllegalStateException e) {
                LOG.debug("Export response already ended: {}", e.getMessage());
            } finally {
                ended.complete(null);
            }
        }

        @Override
        public boolean finished() {
            return finishing.get();
        }

        @Override
        public boolean gone() {
            return gone;
        }

        @Override
        public boolean stalled() {
            return stalled;
        }

        void awaitEnd() throws InterruptedException {
            try {
                ended.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /**
     * A bounded in-memory pipe, for callers that do not come through Vert.x: the writer waits (up to a timeout) when
     * the reader is behind; the reader always sees an end (after the last line, or after what was written when the
     * writer gave up), never waits forever.
     */
    static final class Pipe extends InputStream implements Sink {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> chunks;
        private final long timeoutMillis;
        private final AtomicBoolean finishing = new AtomicBoolean();
        private volatile byte[] last;
        private volatile boolean ended;
        private volatile boolean closed;
        private volatile boolean stalled;
        private byte[] current;
        private int pos;

        Pipe(int capacity, long timeoutMillis) {
            this.chunks = new ArrayBlockingQueue<>(capacity);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public boolean write(byte[] chunk) {
            if (closed || finishing.get()) {
                return false;
            }
            try {
                if (chunk.length > 0 && !chunks.offer(chunk, timeoutMillis, TimeUnit.MILLISECONDS)) {
                    stalled = true;
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
                return false;
            }
            return true;
        }

        @Override
        public void finish(byte[] lastLine) {
            if (finishing.compareAndSet(false, true)) {
                last = lastLine == null ? END : lastLine;
                ended = true;
            }
        }

        @Override
        public boolean finished() {
            return finishing.get();
        }

        @Override
        public boolean gone() {
            return closed;
        }

        @Override
        public boolean stalled() {
            return stalled;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (current == null || pos >= current.length) {
                if (current == END || closed) {
                    return -1;
                }
                try {
                    current = chunks.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                pos = 0;
                if (current == null && ended && chunks.isEmpty()) {
                    current = last;
                    last = END;
                    if (current == END) {
                        return -1;
                    }
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
            chunks.clear();
        }
    }

    /** The exports' own threads: as many as exports may run, named prefect-export-N, given up when idle. */
    public static final class Threads extends ThreadPoolExecutor {
        private static final AtomicInteger NUMBER = new AtomicInteger();

        public Threads(int size) {
            super(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(size), r -> {
                Thread t = new Thread(r, "prefect-export-" + NUMBER.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            allowCoreThreadTimeOut(true);
        }
    }
}
