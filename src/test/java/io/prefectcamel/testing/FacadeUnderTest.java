package io.prefectcamel.testing;

import java.util.Map;

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
public final class FacadeUnderTest extends ServiceOverUpstream<FacadeUnderTest> implements BeforeEachCallback {

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

    private FakePrefect prefect;

    private FacadeUnderTest() {
    }

    public static FacadeUnderTest withTestDefaults() {
        return new FacadeUnderTest();
    }

    @Override
    protected String startUpstream() {
        prefect = FakePrefect.start();
        return prefect.url();
    }

    @Override
    protected void stopUpstream() {
        if (prefect != null) {
            prefect.stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prefect.reset();
    }

    /** WireMock playing Prefect. */
    public FakePrefect prefect() {
        return prefect;
    }
}
