package io.prefectcamel.sandbox;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory stand-in for Prefect Cloud's events API and administration API, served over HTTP on
 * Prefect Cloud's own paths ({@code /api/accounts/{account_id}[/workspaces/{workspace_id}]/events...},
 * {@code /api/accounts/{account_id}/bots/}, {@code /api/me/}, ...). The administration data is always
 * seeded ({@link AdminSeed}); {@code seed(true)} adds demo events.
 *
 * <pre>{@code
 * try (PrefectSandbox sandbox = PrefectSandbox.builder().seed(true).build().start()) {
 *     String apiUrl = sandbox.baseUrl() + "/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID
 *             + "/workspaces/" + PrefectSandbox.DEMO_WORKSPACE_ID;
 *     ...
 * }
 * }</pre>
 */
public final class PrefectSandbox implements AutoCloseable {

    /** The account the seed data lives in. */
    public static final String DEMO_ACCOUNT_ID = "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f";
    /** The workspace the seed data lives in. */
    public static final String DEMO_WORKSPACE_ID = "4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f";

    private static final int THREADS = 16;

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, each answer
        // then waits for the client's delayed ACK (about 40 ms). Read once, when the JVM creates its
        // first com.sun.net.httpserver server; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String host;
    private final int requestedPort;
    private final String apiKey;
    private final boolean seed;
    private final int retryAfterSeconds;
    private volatile double faultRate429;
    private volatile int addedLatencyMillis;
    private final EventStore store;
    private final AdminStore admin;
    private final PageToken.Codec tokens = new PageToken.Codec();

    private HttpServer server;
    private ExecutorService executor;
    private int port = -1;

    private PrefectSandbox(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.apiKey = b.apiKey == null || b.apiKey.isBlank() ? null : b.apiKey;
        this.seed = b.seed;
        this.retryAfterSeconds = b.retryAfterSeconds;
        this.faultRate429 = b.faultRate429;
        this.addedLatencyMillis = b.addedLatencyMillis;
        this.store = new EventStore(b.clock);
        this.admin = new AdminStore(b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Seeds (if asked), binds the port and starts serving. Returns this. */
    public synchronized PrefectSandbox start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        if (seed) {
            SeedData.seed(store, store.clock().instant());
        }
        AdminApi adminApi = new AdminApi(AdminSpec.get(), admin, this::faultRate429);
        adminApi.seed();
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host + ":" + requestedPort, e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "prefect-sandbox-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = Executors.newFixedThreadPool(THREADS, threads);
        server.setExecutor(executor);
        server.createContext("/", new SandboxHandler(this, store, tokens, adminApi, admin));
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:43125}; API paths start with {@code /api}. */
    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    /** The demo workspace's API URL (what {@code PREFECT_API_URL} would be). */
    public String demoWorkspaceUrl() {
        return baseUrl() + "/api/accounts/" + DEMO_ACCOUNT_ID + "/workspaces/" + DEMO_WORKSPACE_ID;
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    public EventStore store() {
        return store;
    }

    /** The administration data (workspaces, teams, bots, ...; always seeded, see {@link AdminSeed}). */
    AdminStore admin() {
        return admin;
    }

    public void setFaultRate429(double rate) {
        if (rate < 0 || rate > 1 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("rate must be within 0..1");
        }
        this.faultRate429 = rate;
    }

    public void setAddedLatencyMillis(int ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        this.addedLatencyMillis = ms;
    }

    double faultRate429() {
        return faultRate429;
    }

    int addedLatencyMillis() {
        return addedLatencyMillis;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    String apiKey() {
        return apiKey;
    }

    /** Stops the server. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public String toString() {
        return "PrefectSandbox[" + (port < 0 ? "not started" : baseUrl()) + ", auth " + (apiKey == null ? "off" : "on") + "]";
    }

    /** Configures a sandbox. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String apiKey;
        private boolean seed;
        private double faultRate429;
        private int retryAfterSeconds = 1;
        private int addedLatencyMillis;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The address to bind (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = java.util.Objects.requireNonNull(host);
            return this;
        }

        /** The port (default 0: a free port). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port");
            }
            this.port = port;
            return this;
        }

        /** The API key every request must carry as {@code Authorization: Bearer <key>}; null: no check. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Whether to load demo events into the demo account and workspace (default false). */
        public Builder seed(boolean seed) {
            this.seed = seed;
            return this;
        }

        /** The fraction of requests answered 429 (0..1, default 0). */
        public Builder faultRate429(double rate) {
            if (rate < 0 || rate > 1 || Double.isNaN(rate)) {
                throw new IllegalArgumentException("rate must be within 0..1");
            }
            this.faultRate429 = rate;
            return this;
        }

        /** The Retry-After seconds sent with an injected 429 (default 1). */
        public Builder retryAfterSeconds(int seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("seconds must be >= 0");
            }
            this.retryAfterSeconds = seconds;
            return this;
        }

        /** Latency added to every request (default 0). */
        public Builder addedLatencyMillis(int ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("latency must be >= 0");
            }
            this.addedLatencyMillis = ms;
            return this;
        }

        /** The clock for "now" (received times, default windows, seed data). Default: system UTC. */
        public Builder clock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock);
            return this;
        }

        public PrefectSandbox build() {
            return new PrefectSandbox(this);
        }
    }

    /**
     * Runs the sandbox standalone: {@code --port N} (default 4200), {@code --host H},
     * {@code --api-key K}, {@code --seed}, {@code --fault-rate-429 R}, {@code --latency-ms N}.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder b = builder().port(4200);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> b.port(Integer.parseInt(value(args, ++i, arg)));
                case "--host" -> b.host(value(args, ++i, arg));
                case "--api-key" -> b.apiKey(value(args, ++i, arg));
                case "--seed" -> b.seed(true);
                case "--fault-rate-429" -> b.faultRate429(Double.parseDouble(value(args, ++i, arg)));
                case "--latency-ms" -> b.addedLatencyMillis(Integer.parseInt(value(args, ++i, arg)));
                case "-h", "--help" -> {
                    System.out.println("usage: PrefectSandbox [--port N] [--host H] [--api-key K] [--seed] "
                            + "[--fault-rate-429 R] [--latency-ms N]");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + arg);
                    System.exit(2);
                }
            }
        }
        PrefectSandbox sandbox = b.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "prefect-sandbox-stop"));
        System.out.println("Prefect sandbox listening on " + sandbox.baseUrl());
        System.out.println("  account id:    " + DEMO_ACCOUNT_ID);
        System.out.println("  workspace id:  " + DEMO_WORKSPACE_ID);
        System.out.println("  PREFECT_API_URL=" + sandbox.demoWorkspaceUrl());
        System.out.println("  auth:          " + (sandbox.apiKey == null ? "off (any or no bearer token)" : "bearer key required"));
        if (!sandbox.store.flowRunIds().isEmpty()) {
            System.out.println("  seeded events: " + sandbox.store.size() + ", e.g. flow run " + sandbox.store.flowRunIds().get(0));
        }
        Thread.currentThread().join();
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            System.err.println("missing value for " + name);
            System.exit(2);
        }
        return args[i];
    }
}
