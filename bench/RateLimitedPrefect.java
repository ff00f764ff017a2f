import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Prefect that rate-limits: every call answers 429 with Retry-After (5 s by default), except calls
 * for the "healthy" workspace, which answer 200 at once. JDK only, loopback only:
 *   java bench/RateLimitedPrefect.java --port 14310 --retry-after 5 --healthy-workspace <uuid>
 */
public class RateLimitedPrefect {
    public static void main(String[] args) throws IOException {
        int port = 14310;
        String retryAfter = "5";
        String healthy = "00000000-0000-4000-8000-000000000001";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--retry-after" -> retryAfter = args[++i];
                case "--healthy-workspace" -> healthy = args[++i];
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        AtomicLong limited = new AtomicLong();
        AtomicLong served = new AtomicLong();
        String wait = retryAfter;
        String healthyPath = "/workspaces/" + healthy + "/";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().contains(healthyPath)) {
                served.incrementAndGet();
                answer(exchange, 200, "[]", null);
            } else {
                limited.incrementAndGet();
                answer(exchange, 429, "{\"detail\":\"Rate limit exceeded\"}", wait);
            }
        });
        server.createContext("/counts", exchange -> answer(exchange, 200,
                "{\"rate_limited\":" + limited.get() + ",\"served\":" + served.get() + "}", null));
        server.start();
        System.out.println("rate-limited prefect ready on http://127.0.0.1:" + port + " (Retry-After: " + retryAfter + ")");
    }

    private static void answer(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
