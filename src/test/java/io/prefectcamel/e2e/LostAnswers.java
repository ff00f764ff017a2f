package io.prefectcamel.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A proxy in front of the sandbox that passes every call through, except that it can lose the answers of the next
 * events creates: the create reaches the sandbox (which stores the events) and the service gets a 503 instead of the
 * sandbox's 204, as when Prefect stored a batch but its answer did not come back.
 */
final class LostAnswers implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "keep-alive", "expect");

    private final String target;
    private final HttpServer server;
    private final AtomicInteger toLose = new AtomicInteger();
    private final AtomicInteger creates = new AtomicInteger();

    LostAnswers(String target) throws IOException {
        this.target = target.replaceAll("/+$", "");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The answers of the next {@code n} events creates are lost (each is stored, then answered 503). */
    void loseNext(int n) {
        toLose.set(n);
        creates.set(0);
    }

    /** Events creates that reached the sandbox since {@link #loseNext}. */
    int creates() {
        return creates.get();
    }

    private void forward(HttpExchange call) throws IOException {
        try (call) {
            byte[] body;
            try (InputStream in = call.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = call.getRequestMethod();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + call.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body.length == 0 && !"POST".equals(method) ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : call.getRequestHeaders().entrySet()) {
                if (!HOP.contains(h.getKey().toLowerCase())) {
                    h.getValue().forEach(v -> request.header(h.getKey(), v));
                }
            }
            HttpResponse<byte[]> answer;
            try {
                answer = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            boolean create = "POST".equals(method) && call.getRequestURI().getPath().endsWith("/events");
            if (create) {
                creates.incrementAndGet();
            }
            if (create && answer.statusCode() < 300 && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] lost = "upstream busy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                call.sendResponseHeaders(503, lost.length);
                try (OutputStream out = call.getResponseBody()) {
                    out.write(lost);
                }
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    call.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = answer.body();
            call.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = call.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
