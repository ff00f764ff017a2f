package io.prefectcamel.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams every event of a query as NDJSON: the route reads the first page (so bad input and Prefect's own
 * errors answer as usual), then a wire-tapped route follows the next_page links and writes each page here while
 * the caller reads. A bounded pipe keeps memory flat; the last line says whether the export is complete.
 */
public class EventExport {

    public static final String CONTENT_TYPE = "application/x-ndjson";
    static final String PIPE = "export.pipe";
    static final String PAGE = "export.page";
    static final String NEXT = "export.next";
    static final String MAX = "export.max";
    static final String COUNT = "export.count";
    static final String IDS = "export.ids";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(EventExport.class);

    private long writeTimeoutMillis = 120_000;
    private int pipeChunks = 64;

    public void setWriteTimeoutMillis(long writeTimeoutMillis) {
        this.writeTimeoutMillis = writeTimeoutMillis;
    }

    public void setPipeChunks(int pipeChunks) {
        this.pipeChunks = pipeChunks;
    }

    /** Checks max_events and keeps the path ids, which the Prefect call drops with the other headers. */
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
        exchange.setProperty(MAX, limit);
        exchange.setProperty(IDS, new String[] {in.getHeader("account-id", String.class), in.getHeader("workspace-id", String.class)});
    }

    /** After a good first page: the answer becomes the stream; the page is kept for the writer. */
    public void open(Exchange exchange) {
        Message msg = exchange.getMessage();
        exchange.setProperty(PAGE, msg.getBody(String.class));
        Pipe pipe = new Pipe(pipeChunks);
        exchange.setProperty(PIPE, pipe);
        exchange.setProperty(COUNT, 0L);
        msg.setBody(null);
    }

    public void respond(Exchange exchange) {
        Message msg = exchange.getMessage();
        msg.setBody(exchange.getProperty(PIPE, Pipe.class));
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        msg.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
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
        Pipe pipe = exchange.getProperty(PIPE, Pipe.class);
        String page = exchange.getProperty(PAGE, String.class);
        exchange.removeProperty(PAGE);
        Message msg = exchange.getMessage();
        if (page == null) {
            int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status != 200) {
                fail(exchange, "Prefect answered " + status + " while reading a page: " + msg.getBody(String.class));
                return;
            }
            page = msg.getBody(String.class);
        }
        JsonNode node = JSON.readTree(page);
        long count = exchange.getProperty(COUNT, 0L, Long.class);
        long max = exchange.getProperty(MAX, Long.MAX_VALUE, Long.class);
        StringBuilder lines = new StringBuilder(page.length() + 64);
        for (JsonNode event : node.path("events")) {
            if (count >= max) {
                break;
            }
            lines.append(JSON.writeValueAsString(event)).append('\n');
            count++;
        }
        exchange.setProperty(COUNT, count);
        if (!pipe.write(lines.toString().getBytes(StandardCharsets.UTF_8), writeTimeoutMillis)) {
            exchange.setProperty(NEXT, null);
            LOG.info("Export stopped after {} events: the caller stopped reading", count);
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

    /** A failure in the wire-tapped route (anything unexpected) still ends the stream with a clear last line. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        fail(exchange, e == null ? "unknown failure" : e.getClass().getSimpleName());
    }

    private void fail(Exchange exchange, String why) {
        LOG.warn("Export cut after {} events: {}", exchange.getProperty(COUNT), why);
        trailer(exchange, "incomplete", why);
    }

    private void trailer(Exchange exchange, String status, String error) {
        exchange.setProperty(NEXT, null);
        Pipe pipe = exchange.getProperty(PIPE, Pipe.class);
        if (pipe == null || pipe.closed) {
            return;
        }
        ObjectNode last = JSON.createObjectNode();
        last.put("export_status", status);
        last.put("events", exchange.getProperty(COUNT, 0L, Long.class));
        if (error != null) {
            last.put("error", error.length() > 2000 ? error.substring(0, 2000) : error);
        }
        pipe.write((last + "\n").getBytes(StandardCharsets.UTF_8), writeTimeoutMillis);
        pipe.finish();
    }

    /** A bounded in-memory pipe: the writer waits (up to a timeout) when the reader is behind. */
    static final class Pipe extends InputStream {
        private static final byte[] END = new byte[0];
        private final BlockingQueue<byte[]> chunks;
        private byte[] current;
        private int pos;
        private volatile boolean closed;

        Pipe(int capacity) {
            this.chunks = new ArrayBlockingQueue<>(capacity);
        }

        boolean write(byte[] chunk, long timeoutMillis) {
            if (closed) {
                return false;
            }
            try {
                if (chunk.length > 0 && !chunks.offer(chunk, timeoutMillis, TimeUnit.MILLISECONDS)) {
                    closed = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
            return !closed;
        }

        void finish() {
            try {
                if (!closed) {
                    chunks.offer(END, 10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (current == END) {
                return -1;
            }
            if (current == null || pos >= current.length) {
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                pos = 0;
                if (current == END) {
                    return -1;
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
}
