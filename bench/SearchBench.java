import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prefectcamel.search.OperationIndex;

/**
 * Operation search over the evaluation set: top-1 and top-3 accuracy, then the latency of one search (p50, p99, max)
 * over many queries, in process, with every operation searchable (all toolsets). Run by bench/search-bench.sh.
 *
 *   java -cp 'target/prefect-camel.jar:target/lib/*' bench/SearchBench.java INTENTS.yaml [QUERIES [HELD_OUT.yaml]]
 */
public class SearchBench {

    public static void main(String[] args) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode document;
        try (InputStream in = SearchBench.class.getClassLoader().getResourceAsStream("openapi/prefect-camel-openapi.yaml")) {
            document = yaml.readTree(in);
        }
        List<String[]> intents = new ArrayList<>();
        for (JsonNode i : yaml.readTree(new File(args[0])).path("intents")) {
            intents.add(new String[] {i.path("query").asText(), i.path("expected").asText(),
                    Boolean.toString(i.path("paraphrase").asBoolean(false))});
        }
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;

        long t0 = System.nanoTime();
        OperationIndex index = OperationIndex.of(document);
        long buildMs = (System.nanoTime() - t0) / 1_000_000;

        int top1 = 0;
        int top3 = 0;
        int paraphrases = 0;
        int paraphraseTop1 = 0;
        int paraphraseTop3 = 0;
        for (String[] i : intents) {
            List<String> found = index.search(i[0], 3, e -> true).stream().map(h -> h.operation().operationId()).toList();
            boolean first = !found.isEmpty() && found.get(0).equals(i[1]);
            boolean three = found.contains(i[1]);
            top1 += first ? 1 : 0;
            top3 += three ? 1 : 0;
            if (Boolean.parseBoolean(i[2])) {
                paraphrases++;
                paraphraseTop1 += first ? 1 : 0;
                paraphraseTop3 += three ? 1 : 0;
            }
        }

        String heldOut = "";
        if (args.length > 2) {
            int total = 0;
            int h1 = 0;
            int h3 = 0;
            for (JsonNode i : yaml.readTree(new File(args[2])).path("intents")) {
                String want = i.path("expected").asText();
                List<String> found = index.search(i.path("query").asText(), 3, e -> true).stream()
                        .map(h -> h.operation().operationId()).toList();
                total++;
                h1 += !found.isEmpty() && found.get(0).equals(want) ? 1 : 0;
                h3 += found.contains(want) ? 1 : 0;
            }
            heldOut = String.format("held-out intents (never tuned against): %d   top-1: %.1f%% (%d)   top-3: %.1f%% (%d)%n",
                    total, 100.0 * h1 / total, h1, 100.0 * h3 / total, h3);
        }

        for (int n = 0; n < 20_000; n++) { // warm-up
            index.search(intents.get(n % intents.size())[0], 5, e -> true);
        }
        // wall time, and the thread's CPU time: on a shared machine the difference is time spent waiting for a core
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[queries];
        long[] cpu = new long[queries];
        long sink = 0;
        long start = System.nanoTime();
        for (int n = 0; n < queries; n++) {
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            sink += index.search(intents.get(n % intents.size())[0], 5, e -> true).size();
            nanos[n] = System.nanoTime() - s;
            cpu[n] = threads.getCurrentThreadCpuTime() - c;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        System.out.printf("operations indexed: %d (index built in %d ms)%n", index.entries().size(), buildMs);
        System.out.printf("intents: %d   top-1: %.1f%% (%d)   top-3: %.1f%% (%d)%n", intents.size(),
                100.0 * top1 / intents.size(), top1, 100.0 * top3 / intents.size(), top3);
        System.out.printf("  paraphrases (no word of the summary): %d   top-1: %.1f%% (%d)   top-3: %.1f%% (%d)%n",
                paraphrases, 100.0 * paraphraseTop1 / paraphrases, paraphraseTop1, 100.0 * paraphraseTop3 / paraphrases,
                paraphraseTop3);
        System.out.print(heldOut);
        System.out.printf("latency over %,d searches (limit 5): p50 %.3f ms   p99 %.3f ms   max %.3f ms   (%,.0f searches/s, one thread; %d results)%n",
                queries, nanos[queries / 2] / 1e6, nanos[(int) (queries * 0.99)] / 1e6, nanos[queries - 1] / 1e6,
                queries / seconds, sink);
        System.out.printf("cpu time per search:                      p50 %.3f ms   p99 %.3f ms   max %.3f ms%n",
                cpu[queries / 2] / 1e6, cpu[(int) (queries * 0.99)] / 1e6, cpu[queries - 1] / 1e6);
        System.out.printf("load average when done: %.2f on %d cores%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
