package io.prefectcamel.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The shared retry policy: what is retried (429 always; 502/503/504 and connection failures only when idempotent),
 * how long it waits (Retry-After, else jittered exponential backoff) and when it stops (attempts, longest wait,
 * budget). Settings: 4 attempts, 100 ms backoff, 2 s longest wait, 5 s budget.
 */
class PrefectRetriesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final boolean IDEMPOTENT = true;
    private static final boolean CREATE = false;

    private final PrefectRetries policy = policy();

    private static PrefectRetries policy() {
        PrefectRetries p = new PrefectRetries();
        p.setMaxAttempts(4);
        p.setBackoffMillis(100);
        p.setMaxWaitMillis(2000);
        p.setBudgetMillis(5000);
        return p;
    }

    private static PrefectStatusException answered(int status, String retryAfter) {
        return new PrefectStatusException(status, retryAfter);
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterSeconds() {
        PrefectRetries.Decision d = policy.decide(answered(429, "1"), 1, 0, IDEMPOTENT, NOW);
        assertThat(d.retry()).isTrue();
        assertThat(d.waitMillis()).isEqualTo(1000);
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterDate() {
        PrefectRetries.Decision d = policy.decide(answered(429, "Sun, 01 Mar 2026 12:00:01 GMT"), 1, 0, IDEMPOTENT, NOW);
        assertThat(d.retry()).isTrue();
        assertThat(d.waitMillis()).isEqualTo(1000);
    }

    @Test
    void a429OnACreateIsRetriedTooBecausePrefectDidNotTakeIt() {
        assertThat(policy.decide(answered(429, "1"), 1, 0, CREATE, NOW).retry()).isTrue();
    }

    @Test
    void aRetryAfterBeyondTheLongestWaitIsNotWaitedOut() {
        PrefectRetries.Decision d = policy.decide(answered(429, "3"), 1, 0, IDEMPOTENT, NOW);
        assertThat(d.retry()).isFalse();
        assertThat(d.waitMillis()).as("what the caller can be told").isEqualTo(3000);
        assertThat(policy.decide(answered(429, "Sun, 01 Mar 2026 12:00:03 GMT"), 1, 0, IDEMPOTENT, NOW).retry()).isFalse();
        assertThat(policy.decide(answered(429, "2"), 1, 0, IDEMPOTENT, NOW).retry()).as("exactly the longest wait").isTrue();
    }

    @Test
    void aWaitThatWouldPassTheBudgetIsNotTaken() {
        assertThat(policy.decide(answered(429, "2"), 2, 3000, IDEMPOTENT, NOW).retry()).as("3 s + 2 s = budget").isTrue();
        assertThat(policy.decide(answered(429, "2"), 2, 3001, IDEMPOTENT, NOW).retry()).isFalse();
    }

    @Test
    void theAttemptsRunOut() {
        assertThat(policy.decide(answered(429, "0"), 3, 0, IDEMPOTENT, NOW).retry()).isTrue();
        assertThat(policy.decide(answered(429, "0"), 4, 0, IDEMPOTENT, NOW).retry()).isFalse();
    }

    @Test
    void gatewayErrorsAreRetriedOnlyWhenTheCallIsIdempotent() {
        for (int status : new int[] {502, 503, 504}) {
            assertThat(policy.decide(answered(status, null), 1, 0, IDEMPOTENT, NOW).retry()).as("%d read", status).isTrue();
            assertThat(policy.decide(answered(status, null), 1, 0, CREATE, NOW).retry()).as("%d create", status).isFalse();
        }
        assertThat(policy.decide(answered(500, null), 1, 0, IDEMPOTENT, NOW).retry()).as("500").isFalse();
        assertThat(policy.decide(answered(503, "1"), 1, 0, IDEMPOTENT, NOW).waitMillis()).as("503 with Retry-After").isEqualTo(1000);
    }

    @Test
    void connectionFailuresAndTimeoutsAreRetriedOnlyWhenTheCallIsIdempotent() {
        for (IOException e : new IOException[] {new ConnectException("refused"), new SocketTimeoutException("read")}) {
            assertThat(policy.decide(e, 1, 0, IDEMPOTENT, NOW).retry()).isTrue();
            assertThat(policy.decide(new RuntimeException("wrapped", e), 1, 0, IDEMPOTENT, NOW).retry()).isTrue();
            assertThat(policy.decide(e, 1, 0, CREATE, NOW).retry()).isFalse();
        }
    }

    @Test
    void nothingIsRetriedWhileTheBreakerIsOpenNorAfterAnUnexpectedFailure() {
        assertThat(policy.decide(new CallNotPermittedException(), 1, 0, IDEMPOTENT, NOW).retry()).isFalse();
        assertThat(policy.decide(new IllegalStateException("bug"), 1, 0, IDEMPOTENT, NOW).retry()).isFalse();
    }

    @Test
    void backoffDoublesWithUpToHalfAgainOfJitter() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            long base = 100L << (attempt - 1);
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2000; i++) {
                long wait = policy.decide(answered(429, null), attempt, 0, IDEMPOTENT, NOW).waitMillis();
                min = Math.min(min, wait);
                max = Math.max(max, wait);
            }
            assertThat(min).as("attempt %d", attempt).isGreaterThanOrEqualTo(base);
            assertThat(max).as("attempt %d", attempt).isLessThanOrEqualTo(base + base / 2);
            assertThat(max).as("attempt %d is jittered", attempt).isGreaterThan(min);
        }
    }

    @Test
    void backoffIsCappedAtTheLongestWait() {
        assertThat(policy.backoff(10)).isEqualTo(2000);
        assertThat(policy.decide(new ConnectException("refused"), 3, 0, IDEMPOTENT, NOW).waitMillis()).isLessThanOrEqualTo(2000);
    }

    @Test
    void asRetryWhileItSetsTheRedeliveryDelayAndCountsFromTheStart() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(PrefectRetries.IDEMPOTENT, true);
            policy.start(exchange);
            policy.attempt(exchange);
            exchange.setException(answered(503, "1"));

            assertThat(policy.matches(exchange)).isTrue();
            assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isEqualTo(1000L);

            policy.attempt(exchange);
            exchange.setProperty(PrefectRetries.IDEMPOTENT, false);
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
            assertThat(policy.matches(exchange)).as("a create").isFalse();
            assertThat(exchange.getIn().getHeader(Exchange.REDELIVERY_DELAY)).isNull();
            assertThat(exchange.getProperty(PrefectRetries.ATTEMPTS, Integer.class)).isEqualTo(2);
        }
    }

    @Test
    void aFixedIdempotencyWinsOverTheExchangeProperty() throws Exception {
        PrefectRetries forCreates = policy();
        forCreates.setIdempotent(false);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(PrefectRetries.IDEMPOTENT, true);
            forCreates.start(exchange);
            forCreates.attempt(exchange);
            exchange.setException(answered(503, null));
            assertThat(forCreates.matches(exchange)).isFalse();
        }
    }

    /** Stands in for resilience4j's exception, which the policy knows by name only. */
    static final class CallNotPermittedException extends RuntimeException {
    }
}
