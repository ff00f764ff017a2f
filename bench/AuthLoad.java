import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded loopback load: CONCURRENCY threads send GET URL (with the bearer TOKEN, when given) for SECONDS after a
 * short warm-up, and it prints the answers per second that were 200.
 *   java bench/AuthLoad.java URL SECONDS CONCURRENCY [TOKEN]
 */
public class AuthLoad {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
            throw new IllegalArgumentException("loopback only");
        }
        long seconds = Math.min(60, Long.parseLong(args[1]));
        int concurrency = Math.min(64, Integer.parseInt(args[2]));
        String token = args.length > 3 ? args[3] : null;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = b.build();
        AtomicLong ok = new AtomicLong();
        AtomicLong other = new AtomicLong();
        long warmUpEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long end = warmUpEnd + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (System.nanoTime() > warmUpEnd) {
                            (status == 200 ? ok : other).incrementAndGet();
                        }
                    } catch (Exception e) {
                        other.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("%.0f req/s (%d answers 200, %d others, %d s, %d connections)%n",
                ok.get() / (double) seconds, ok.get(), other.get(), seconds, concurrency);
    }
}
