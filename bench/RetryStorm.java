import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The retry storm: N callers keep asking the facade for a rate-limited read, each call waiting out Retry-After inside
 * the service, while a probe measures other requests (the OpenAPI document, and a read Prefect answers at once).
 * Prints p50/p99/max of the probes before the storm (the anchor) and during it. JDK only:
 *   java bench/RetryStorm.java --url http://127.0.0.1:18091 --callers 24 --seconds 25
 */
public class RetryStorm {
    static final String ACCOUNT = "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f";
    static final String LIMITED_WS = "4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f";
    static final String HEALTHY_WS = "00000000-0000-4000-8000-000000000001";

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:18091";
        int callers = 24;
        int seconds = 25;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--callers" -> callers = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = url;
        HttpRequest openapi = HttpRequest.newBuilder(URI.create(base + "/v1/openapi.json"))
                .timeout(Duration.ofSeconds(90)).GET().build();
        HttpRequest healthy = post(base, HEALTHY_WS, "count-by/event", "{}");
        HttpRequest limited = post(base, LIMITED_WS, "filter", "{\"limit\":5}");

        Map<String, List<Long>> anchor = probe(http, Map.of("openapi", openapi, "healthy read", healthy), 4, null);

        AtomicBoolean storming = new AtomicBoolean(true);
        Map<Integer, Integer> stormStatuses = new ConcurrentHashMap<>();
        List<Long> stormMillis = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            Thread caller = new Thread(() -> {
                try {
                    while (storming.get()) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(limited, HttpResponse.BodyHandlers.ofString());
                        stormMillis.add((System.nanoTime() - t0) / 1_000_000);
                        stormStatuses.merge(r.statusCode(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    stormStatuses.merge(-1, 1, Integer::sum);
                } finally {
                    done.countDown();
                }
            });
            caller.setDaemon(true);
            caller.start();
        }
        Thread.sleep(2000); // every caller is in its first wait
        Map<String, List<Long>> during = probe(http, Map.of("openapi", openapi, "healthy read", healthy), seconds - 2, storming);
        storming.set(false);

        System.out.printf("%-34s %6s %8s %8s %8s%n", "requests", "n", "p50 ms", "p99 ms", "max ms");
        print("anchor, no storm: openapi", anchor.get("openapi"));
        print("anchor, no storm: healthy read", anchor.get("healthy read"));
        print("storm of " + callers + ": openapi", during.get("openapi"));
        print("storm of " + callers + ": healthy read", during.get("healthy read"));
        done.await(java.util.concurrent.TimeUnit.SECONDS.toMillis(90), java.util.concurrent.TimeUnit.MILLISECONDS);
        print("storm calls themselves", stormMillis);
        System.out.println("storm call statuses: " + new TreeMap<>(stormStatuses));
    }

    static HttpRequest post(String base, String ws, String op, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/api/accounts/" + ACCOUNT + "/workspaces/" + ws + "/events/" + op))
                .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends each request in turn, every 100 ms, for the given time; returns the latencies by name. */
    static Map<String, List<Long>> probe(HttpClient http, Map<String, HttpRequest> requests, int seconds, AtomicBoolean still)
            throws Exception {
        Map<String, List<Long>> out = new TreeMap<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            for (Map.Entry<String, HttpRequest> r : requests.entrySet()) {
                long t0 = System.nanoTime();
                HttpResponse<String> answer = http.send(r.getValue(), HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(r.getKey() + " answered " + answer.statusCode() + ": " + answer.body());
                }
                out.computeIfAbsent(r.getKey(), k -> new ArrayList<>()).add(ms);
            }
            Thread.sleep(100);
        }
        return out;
    }

    static void print(String what, List<Long> millis) {
        if (millis == null || millis.isEmpty()) {
            System.out.printf("%-34s %6d%n", what, 0);
            return;
        }
        List<Long> s = new ArrayList<>(millis);
        Collections.sort(s);
        System.out.printf("%-34s %6d %8d %8d %8d%n", what, s.size(), s.get((s.size() - 1) / 2),
                s.get((int) Math.ceil(s.size() * 0.99) - 1), s.get(s.size() - 1));
    }
}
