package io.prefectcamel.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.ServiceOverUpstream;
import io.prefectcamel.testing.TestKey;

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
public final class SandboxUnderTest extends ServiceOverUpstream<SandboxUnderTest> {

    private static final HttpClient DIRECT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private UnaryOperator<PrefectSandbox.Builder> sandboxSettings = b -> b;
    private PrefectSandbox sandbox;
    private boolean withLostAnswers;
    private LostAnswers lostAnswers;

    private SandboxUnderTest() {
    }

    public static SandboxUnderTest withTestDefaults() {
        return new SandboxUnderTest();
    }

    /** Further settings of the sandbox (it is always built without seed data and with the test key). */
    public SandboxUnderTest sandbox(UnaryOperator<PrefectSandbox.Builder> settings) {
        this.sandboxSettings = settings;
        return this;
    }

    /** Puts {@link LostAnswers} between the service and the sandbox, so a test can lose the answers of creates. */
    public SandboxUnderTest withLostAnswers() {
        this.withLostAnswers = true;
        return this;
    }

    @Override
    protected String startUpstream() {
        sandbox = sandboxSettings.apply(PrefectSandbox.builder().seed(false)).apiKey(TestKey.VALUE).build().start();
        if (withLostAnswers) {
            try {
                lostAnswers = new LostAnswers(sandbox.baseUrl());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return lostAnswers.url();
        }
        return sandbox.baseUrl();
    }

    /** The proxy that loses answers ({@link #withLostAnswers()}). */
    LostAnswers lostAnswers() {
        return lostAnswers;
    }

    @Override
    protected void stopUpstream() {
        if (lostAnswers != null) {
            lostAnswers.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    public PrefectSandbox sandbox() {
        return sandbox;
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
        return new Reader(client(), baseUrl());
    }
}
