import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.sandbox.StoredEvent;

/**
 * A sandbox filled with N synthetic events in the demo workspace, spread over the last few hours, for the
 * benchmarks. Run with the project's classpath:
 *   java -cp 'target/prefect-camel.jar:target/lib/*' bench/BenchSandbox.java --events 1000000 --port 14300
 */
public class BenchSandbox {
    public static void main(String[] args) throws Exception {
        int events = 1_000_000;
        int port = 14300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        PrefectSandbox sandbox = PrefectSandbox.builder().port(port).seed(false).build().start();
        long t0 = System.nanoTime();
        Instant start = Instant.now().minusSeconds(6 * 3600);
        List<StoredEvent> batch = new ArrayList<>(10_000);
        for (int i = 0; i < events; i++) {
            String flowRun = "prefect.flow-run." + new UUID(0xbe4c4L, i / 4).toString();
            batch.add(StoredEvent.builder()
                    .id(new UUID(0xbe4c4L << 16, i))
                    .occurred(start.plusMillis(i * 20L))
                    .event("bench.event." + (i % 4 == 3 ? "finished" : "step"))
                    .resource("prefect.resource.id", flowRun, "prefect.resource.name", "bench-" + (i / 4))
                    .related("prefect.resource.id", "prefect.tag.bench", "prefect.resource.role", "tag")
                    .payload("{\"n\":" + i + "}")
                    .account(PrefectSandbox.DEMO_ACCOUNT_ID)
                    .workspace(PrefectSandbox.DEMO_WORKSPACE_ID)
                    .build());
            if (batch.size() == 10_000) {
                sandbox.store().addAll(batch);
                batch.clear();
            }
        }
        sandbox.store().addAll(batch);
        System.out.printf("bench sandbox ready at %s with %d events (loaded in %.1f s)%n", sandbox.baseUrl(),
                sandbox.store().size(), (System.nanoTime() - t0) / 1e9);
        Thread.currentThread().join();
    }
}
