package io.prefectcamel.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the class-wide test extensions share: an upstream playing Prefect (WireMock, the sandbox) and the real service
 * pointed at it with the test key, started once for the class and stopped after it, with the run's log checked for
 * the key ({@link KeyLeakCheck}) before and after.
 *
 * @param <SELF> the extension itself, so that {@link #property} chains
 */
public abstract class ServiceOverUpstream<SELF extends ServiceOverUpstream<SELF>> implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> properties = new LinkedHashMap<>(FacadeUnderTest.TEST_DEFAULTS);
    private ServiceUnderTest service;
    private FacadeClient client;

    /** Starts the upstream and answers its base URL. */
    protected abstract String startUpstream();

    /** Stops the upstream (called even when the service failed to start). */
    protected abstract void stopUpstream();

    /** A setting of the service. */
    @SuppressWarnings("unchecked")
    public SELF property(String key, String value) {
        properties.put(key, value);
        return (SELF) this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        new KeyLeakCheck().beforeAll(context);
        String upstream = startUpstream();
        try {
            service = ServiceUnderTest.builder().prefect(upstream, TestKey.VALUE).properties(properties).start();
        } catch (RuntimeException e) {
            stopUpstream();
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
            stopUpstream();
        }
        KeyLeakCheck.assertNoLeakSoFar();
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
}
