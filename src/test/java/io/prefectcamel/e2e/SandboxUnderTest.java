package io.prefectcamel.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for an end-to-end test class: the embedded Prefect sandbox, which only accepts the test key, and
 * the real service pointed at it with that key, both started once for the class. After the class both are stopped
 * and the run's log is checked for the key ({@link KeyLeakCheck}), as {@link FacadeUnderTest} does for WireMock.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults()
 *         .sandbox(b -&gt; b.retryAfterSeconds(0))
 *         .property("prefect.retry.max-attempts", "2");
 * </pre>
 *
 * Tests of a class share the sandbox: each one works in its own fresh account and workspace ({@link Scope#fresh()}).
 */
public final class SandboxUnderTest implements BeforeAllCallback, AfterAllCallback {

    private static final HttpClient DIRECT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Map<String, String> properties = new LinkedHashMap<>(FacadeUnderTest.TEST_DEFAULTS);
    private UnaryOperator<PrefectSandbox.Builder> sandboxSettings = b -> b;
    private PrefectSandbox sandbox;
    private ServiceUnderTest service;
    private FacadeClient client;

    private SandboxUnderTest() {
    }

    public static SandboxUnderTest withTestDefaults() {
        return new SandboxUnderTest();
    }

    /** A setting of the service. */
    public SandboxUnderTest property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Further settings of the sandbox (it is always built without seed data and with the test key). */
    public SandboxUnderTest sandbox(UnaryOperator<PrefectSandbox.Builder> settings) {
        this.sandboxSettings = settings;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        new KeyLeakCheck().beforeAll(context);
        sandbox = sandboxSettings.apply(PrefectSandbox.builder().seed(false)).apiKey(TestKey.VALUE).build().start();
        try {
            service = ServiceUnderTest.builder().prefect(sandbox.baseUrl(), TestKey.VALUE).properties(properties).start();
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        client = new FacadeClient(service.baseUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
        KeyLeakCheck.assertNoLeakSoFar();
    }

    public PrefectSandbox sandbox() {
        return sandbox;
    }

    public ServiceUnderTest service() {
        return service;
    }

    /** A client of the facade; it fails on any answer that holds the key. */
    public FacadeClient client() {
        return client;
    }

    /** The facade's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return service.baseUrl();
    }

    /**
     * Calls the sandbox itself, not through the facade, with the key the sandbox wants ({@code bearer} null) or
     * another Authorization header value: what Prefect would answer the same request.
     */
    public HttpResponse<String> direct(String method, String path, String body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer == null) {
            request.header("Authorization", "Bearer " + TestKey.VALUE);
        } else if (!bearer.isEmpty()) {
            request.header("Authorization", bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return DIRECT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads and counts through the facade. */
    public Reader reader() {
        return new Reader(client, service.baseUrl());
    }
}
