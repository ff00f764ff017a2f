package io.prefectcamel.kamelets;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The benchmark's two halves, run by {@code bench/kamelet-source-bench.sh}:
 * <ul>
 * <li>{@code load URL KEY ACCOUNT WORKSPACE N}: creates N events in a running Prefect (the sandbox), spread over the
 * last hour, in create calls of 5,000;</li>
 * <li>{@code read URL KEY ACCOUNT WORKSPACE N PAGE_SIZE}: streams them through {@code prefect-events-source} in a plain
 * Camel context (nothing but the kamelet component and the catalog) and prints events/s and the peak heap.</li>
 * </ul>
 */
public final class SourceBench {

    private SourceBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[1];
        String key = args[2];
        String account = args[3];
        String workspace = args[4];
        long n = Long.parseLong(args[5]);
        switch (args[0]) {
            case "load" -> load(url, key, account, workspace, n);
            case "read" -> read(url, key, account, workspace, n, Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("load or read");
        }
    }

    static void load(String url, String key, String account, String workspace, long n) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant first = Instant.now().minus(1, ChronoUnit.HOURS);
        long stepNanos = Math.max(1, 3_600_000_000_000L / Math.max(1, n));
        long t0 = System.nanoTime();
        for (long done = 0; done < n; ) {
            int batch = (int) Math.min(5000, n - done);
            StringBuilder body = new StringBuilder(batch * 220).append('[');
            for (int i = 0; i < batch; i++) {
                long k = done + i;
                body.append(i == 0 ? "" : ",")
                        .append("{\"id\":\"").append(UUID.randomUUID())
                        .append("\",\"occurred\":\"").append(first.plusNanos(k * stepNanos).truncatedTo(ChronoUnit.MICROS))
                        .append("\",\"event\":\"bench.event.").append(k % 7)
                        .append("\",\"resource\":{\"prefect.resource.id\":\"bench.resource.").append(k % 1000)
                        .append("\"},\"payload\":{\"k\":").append(k).append("}}");
            }
            body.append(']');
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/api/accounts/" + account + "/workspaces/" + workspace + "/events"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                throw new IllegalStateException("create answered " + answer.statusCode() + ": " + answer.body());
            }
            done += batch;
        }
        System.out.printf("loaded %,d events in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    static void read(String url, String key, String account, String workspace, long n, int pageSize) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        Processor counter = exchange -> {
            long c = count.incrementAndGet();
            if (c == 1) {
                firstAt.set(System.nanoTime());
            }
            if (c == n) {
                all.countDown();
            }
        };
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        DefaultCamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("counter", counter);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("bench.camel.yaml", """
                - route:
                    from:
                      uri: "kamelet:prefect-events-source"
                      parameters:
                        apiKey: "%s"
                        apiUrl: "%s"
                        accountId: "%s"
                        workspaceId: "%s"
                        startTime: "%s"
                        pageSize: %d
                        period: 1000
                        stateFile: "%s"
                      steps:
                        - process:
                            ref: counter
                """.formatted(key, url, account, workspace, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS), pageSize,
                java.nio.file.Files.createTempDirectory("bench-state").resolve("source.state"))));
        long t0 = System.nanoTime();
        context.start();
        // done, or given up when no event came for two minutes
        long last = -1;
        long lastChange = System.nanoTime();
        boolean done = false;
        while (!done && System.nanoTime() - lastChange < TimeUnit.MINUTES.toNanos(2)) {
            done = all.await(1, TimeUnit.SECONDS);
            if (count.get() != last) {
                last = count.get();
                lastChange = System.nanoTime();
            }
        }
        long end = System.nanoTime();
        sampler.interrupt();
        // one more poll (and its overlap) must add nothing
        Thread.sleep(2500);
        long extra = count.get() - n;
        context.stop();
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        double seconds = (end - firstAt.get()) / 1e9;
        System.out.printf("events:          %,d of %,d%s, %,d more after the next poll%n", Math.min(count.get(), n), n,
                done ? "" : " (stalled)", Math.max(0, extra));
        System.out.printf("page size:       %d%n", pageSize);
        System.out.printf("time:            %.1f s (%.1f s with start-up)%n", seconds, (end - t0) / 1e9);
        System.out.printf("throughput:      %,.0f events/s%n", count.get() / seconds);
        System.out.printf("peak heap used:  %,.1f MiB, sampled every 5 ms (max heap %,.0f MiB)%n", peak.get() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.printf("heap after GC:   %,.1f MiB%n", live / 1048576.0);
        System.exit(done && extra == 0 ? 0 : 1);
    }
}
