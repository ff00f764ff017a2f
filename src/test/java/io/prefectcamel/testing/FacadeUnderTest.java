package io.prefectcamel.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for a test class: WireMock as Prefect, and the real service pointed at it with the test key,
 * both started once for the class. WireMock forgets its stubs and requests before each test. After the class, both
 * are stopped and the run's log is checked for the key ({@link KeyLeakCheck}).
 *
 * <pre>
 * &#64;RegisterExtension
 * static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults()
 *         .property("prefect.response-timeout-ms", "300");
 * </pre>
 */
public final class FacadeUnderTest implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /**
     * Settings every test class starts from: quick retries, and a circuit breaker that needs so many calls before it
     * opens that only a class that asks for it sees it open.
     */
    public static final Map<String, String> TEST_DEFAULTS = Map.ofEntries(
            Map.entry("prefect.retry.max-attempts", "3"),
            Map.entry("prefect.retry.backoff-ms", "10"),
            Map.entry("prefect.retry.max-wait-ms", "3000"),
            Map.entry("prefect.retry.budget-ms", "10000"),
            Map.entry("prefect.connect-timeout-ms", "2000"),
            Map.entry("prefect.response-timeout-ms", "5000"),
            Map.entry("camel.resilience4j.sliding-window-size", "1000"),
            Map.entry("camel.resilience4j.minimum-number-of-calls", "1000"),
            Map.entry("camel.resilience4j.wait-duration-in-open-state", "1"));

    private final Map<String, String> properties = new LinkedHashMap<>(TEST_DEFAULTS);
    private FakePrefect prefect;
    private ServiceUnderTest service;
    private FacadeClient client;

    private FacadeUnderTest() {
    }

    public static FacadeUnderTest withTestDefaults() {
        return new FacadeUnderTest();
    }

    public FacadeUnderTest property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        new KeyLeakCheck().beforeAll(context);
        prefect = FakePrefect.start();
        try {
            service = ServiceUnderTest.builder().prefect(prefect.url(), TestKey.VALUE).properties(properties).start();
        } catch (RuntimeException e) {
            prefect.stop();
            throw e;
        }
        client = new FacadeClient(service.baseUrl());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefect.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            if (prefect != null) {
                prefect.stop();
            }
        }
        KeyLeakCheck.assertNoLeakSoFar();
    }

    /** WireMock playing Prefect. */
    public FakePrefect prefect() {
        return prefect;
    }

    public ServiceUnderTest service() {
        return service;
    }

    /** A client of the facade; it fails on any answer that holds the key. */
    public FacadeClient client() {
        return client;
    }

    public String baseUrl() {
        return service.baseUrl();
    }
}
