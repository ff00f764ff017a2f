package io.prefectcamel.testing;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import io.prefectcamel.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The real service (Camel Main, configured like {@link Application}: application.properties and every
 * {@code classpath:routes/*.camel.yaml}) started in-process on a free loopback port, with property overrides.
 *
 * <pre>
 * ServiceUnderTest service = ServiceUnderTest.builder()
 *         .prefect(prefect.url(), TestKey.VALUE)
 *         .property("prefect.retry.max-attempts", "2")
 *         .start();
 * ...
 * service.stop();
 * </pre>
 *
 * Management (health, metrics) is served on the REST port unless a test names a port of its own (one free port per
 * service is enough for most tests). Environment variables such as
 * PREFECT_API_KEY or PREFECT_API_URL are ignored, so a developer's real key and Prefect are never used by a test.
 */
public final class ServiceUnderTest implements AutoCloseable {

    public static final String ROUTES = Application.ROUTES;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> properties;
    private final int port;
    private final Main main;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private ServiceUnderTest(Map<String, String> properties, int port) {
        this.properties = Map.copyOf(properties);
        this.port = port;
        this.main = Application.newMain();
        Properties overrides = new Properties();
        overrides.putAll(properties);
        main.setOverrideProperties(overrides);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport support) {
                if (support.getCamelContext().getPropertiesComponent() instanceof PropertiesComponent pc) {
                    pc.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
                    pc.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
                }
            }
        });
        this.thread = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "service-under-test-" + port);
        thread.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL of the REST facade (and of the management endpoints), e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** A setting as the running service resolved it. */
    public String resolve(String property) {
        return camelContext().resolvePropertyPlaceholders("{{" + property + "}}");
    }

    private ServiceUnderTest startAndWait() {
        thread.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Throwable t = failure.get();
            if (t != null || !thread.isAlive()) {
                throw new IllegalStateException("The service did not start", t);
            }
            CamelContext context = main.getCamelContext();
            if (context != null && context.getStatus() == ServiceStatus.Started && answers()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("The service did not answer on port " + port + " within " + START_TIMEOUT);
            }
            pause(20);
        }
        for (String key : new String[] { "prefect.api-url", "prefect.api-key" }) {
            String expected = properties.get(key);
            if (expected != null && !expected.equals(resolve(key))) {
                stop();
                throw new IllegalStateException("The service did not take the test's " + key);
            }
        }
        return this;
    }

    private boolean answers() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the service and waits (a few seconds at most) for it to be down. */
    public void stop() {
        main.completed();
        try {
            thread.join(Duration.ofSeconds(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {

        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
            properties.put("camel.server.host", "127.0.0.1");
            properties.put("camel.main.shutdown-timeout", "5");
            properties.put("camel.main.name", "prefect-camel-test");
            // the MCP server on a free port of its own, never the default 9090 a running service may hold
            properties.put("mcp.port", "0");
            // tests run with the test key: callers are authenticated only where a test asks for it
            properties.put("facade.auth.mode", "none");
        }

        /** Points the service at a fake Prefect with the given key. */
        public Builder prefect(String apiUrl, String apiKey) {
            properties.put("prefect.api-url", apiUrl);
            properties.put("prefect.api-key", apiKey);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> more) {
            properties.putAll(more);
            return this;
        }

        public ServiceUnderTest start() {
            int port = FreePort.next();
            properties.putIfAbsent("camel.server.port", Integer.toString(port));
            int actual = Integer.parseInt(properties.get("camel.server.port"));
            properties.putIfAbsent("camel.management.port", Integer.toString(actual));
            return new ServiceUnderTest(properties, actual).startAndWait();
        }
    }
}
