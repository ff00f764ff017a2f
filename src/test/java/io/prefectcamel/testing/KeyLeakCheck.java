package io.prefectcamel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: before a test class, checks that the key-leak appender is in place; after it, that no log line
 * of the run so far held the test's Prefect key.
 */
public final class KeyLeakCheck implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        org.apache.logging.log4j.LogManager.getContext(false); // builds the configuration, and with it the appender
        assertThat(KeyLeakAppender.isInstalled())
                .as("the KeyLeakGuard appender of log4j2-test.properties is active")
                .isTrue();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        assertNoLeakSoFar();
    }

    public static void assertNoLeakSoFar() {
        assertThat(KeyLeakAppender.leaks())
                .as("log events that held the Prefect key")
                .isEmpty();
    }
}
