package io.prefectcamel.call;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.reifier.errorhandler.ErrorHandlerReifier;
import org.apache.camel.spi.Policy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When to try a Prefect call again, and after how long: the one retry policy of the service and the Kamelets.
 *
 * <ul>
 * <li>A 429 is retried for every call (Prefect did not take the request), after its {@code Retry-After} (seconds
 * or an HTTP-date), else after a backoff.</li>
 * <li>502, 503, 504 and connection failures or timeouts are retried only when the call is idempotent, after the
 * answer's {@code Retry-After} if any, else after a backoff. An events create whose events all carry an {@code id}
 * is idempotent (Prefect de-duplicates events by id): the facade's Gateway marks such an exchange so.</li>
 * <li>Backoff: {@code backoffMillis} doubled at each attempt, plus up to 50% random jitter, at most
 * {@code maxWaitMillis}.</li>
 * <li>No retry when {@code maxAttempts} attempts were made, when the wait would be longer than
 * {@code maxWaitMillis} (the caller is told to come back instead), or when the time since the first attempt plus the
 * wait would pass {@code budgetMillis}. Never while the circuit breaker is open.</li>
 * </ul>
 *
 * <p>It is used with Camel's redelivery, whose waits hold no thread ({@code asyncDelayedRedelivery}): as the
 * {@code retryWhile} predicate of an error handler ({@link #matches}), which also sets the wait of the next
 * redelivery in the {@value Exchange#REDELIVERY_DELAY} header that the error handler honours; or, where no route
 * error handler is available (a Kamelet's route runs without one), as a {@link Policy} that wraps its steps in
 * Camel's own {@code DefaultErrorHandler} configured that way.
 */
public class PrefectRetries implements Predicate, Policy {

    /** Exchange property: attempts made so far by the current call. */
    public static final String ATTEMPTS = "prefect.attempt";
    /** Exchange property: {@link System#nanoTime()} when the call started. */
    public static final String STARTED = "prefect.started";
    /** Exchange property: whether the call may be repeated after a 5xx or a connection failure. */
    public static final String IDEMPOTENT = "prefect.idempotent";
    /** Exchange property: the last wait decided, in milliseconds (also when no retry follows). */
    public static final String WAIT = "prefect.wait";

    private static final Logger LOG = LoggerFactory.getLogger(PrefectRetries.class);

    /** What went wrong in one attempt. */
    public enum Failure {
        RATE_LIMITED, SERVER_ERROR, CONNECTION, BREAKER_OPEN, OTHER
    }

    /** The outcome: retry after {@code waitMillis}, or stop (the wait is then what the caller may be told). */
    public record Decision(boolean retry, long waitMillis, String reason) {
    }

    private int maxAttempts = 5;
    private long maxWaitMillis = 30_000;
    private long budgetMillis = 60_000;
    private long backoffMillis = 500;
    private Boolean idempotent;

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public void setMaxWaitMillis(long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
    }

    /** The same as {@link #setMaxWaitMillis}, in seconds (the unit of Retry-After). */
    public void setMaxWaitSeconds(long maxWaitSeconds) {
        this.maxWaitMillis = maxWaitSeconds * 1000;
    }

    public void setBudgetMillis(long budgetMillis) {
        this.budgetMillis = budgetMillis;
    }

    public void setBackoffMillis(long backoffMillis) {
        this.backoffMillis = backoffMillis;
    }

    /**
     * Fixes whether calls are idempotent; unset, each exchange says it in the {@value #IDEMPOTENT} property. When both
     * are given, a call is idempotent only if both say so.
     */
    public void setIdempotent(Boolean idempotent) {
        this.idempotent = idempotent;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public long getMaxWaitMillis() {
        return maxWaitMillis;
    }

    public long getBudgetMillis() {
        return budgetMillis;
    }

    public long getBackoffMillis() {
        return backoffMillis;
    }

    /** The call starts: no attempt made yet, the budget counts from now. */
    public void start(Exchange exchange) {
        exchange.setProperty(ATTEMPTS, 0);
        exchange.setProperty(STARTED, System.nanoTime());
        exchange.removeProperty(WAIT);
    }

    /** An attempt starts (the first one or a redelivery): counted in {@value #ATTEMPTS}. */
    public void attempt(Exchange exchange) {
        exchange.setProperty(ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
    }

    /**
     * The {@code retryWhile} predicate: called by the error handler after a failed attempt. Decides, and on a retry
     * sets the wait of the next redelivery ({@value Exchange#REDELIVERY_DELAY}).
     */
    @Override
    public boolean matches(Exchange exchange) {
        int attempts = Math.max(1, exchange.getProperty(ATTEMPTS, 1, Integer.class));
        Long started = exchange.getProperty(STARTED, Long.class);
        if (started == null) {
            started = System.nanoTime();
            exchange.setProperty(STARTED, started);
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // a fixed setting can only narrow what the exchange says of itself (a Kamelet set idempotent calling a create)
        boolean idem = idempotent != null
                ? idempotent && exchange.getProperty(IDEMPOTENT, true, Boolean.class)
                : exchange.getProperty(IDEMPOTENT, false, Boolean.class);
        Decision d = decide(failure, attempts, elapsedMillis, idem, Instant.now());
        exchange.setProperty(WAIT, d.waitMillis());
        if (d.retry()) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, d.waitMillis());
            LOG.info("{}; retry {} of {} in {} ms", d.reason(), attempts, maxAttempts - 1, d.waitMillis());
        } else {
            LOG.debug("{}; no retry after attempt {}", d.reason(), attempts);
        }
        return d.retry();
    }

    /** The decision after {@code attempts} attempts, {@code elapsedMillis} after the first one started. */
    public Decision decide(Throwable failure, int attempts, long elapsedMillis, boolean idempotent, Instant now) {
        Failure kind = kind(failure);
        PrefectStatusException status = find(failure, PrefectStatusException.class);
        Long asked = status == null ? null : RetryAfter.millis(status.retryAfter(), now);
        long wait = asked != null ? asked : backoff(attempts);
        String why = switch (kind) {
            case RATE_LIMITED -> "Prefect answered 429";
            case SERVER_ERROR -> "Prefect answered " + status.status();
            case CONNECTION -> "Prefect unreachable or too slow";
            case BREAKER_OPEN -> "circuit breaker open";
            case OTHER -> "unexpected failure";
        };
        boolean retryable = switch (kind) {
            case RATE_LIMITED -> true;
            case SERVER_ERROR -> idempotent && (status.status() == 502 || status.status() == 503 || status.status() == 504);
            case CONNECTION -> idempotent;
            case BREAKER_OPEN, OTHER -> false;
        };
        if (!retryable) {
            return new Decision(false, wait, why + (kind == Failure.RATE_LIMITED || idempotent ? "" : " (not retried: the call is not idempotent)"));
        }
        if (attempts >= maxAttempts) {
            return new Decision(false, wait, why + " (" + attempts + " attempts made)");
        }
        if (wait > maxWaitMillis) {
            return new Decision(false, wait, why + " (a wait of " + wait + " ms is beyond " + maxWaitMillis + " ms)");
        }
        if (elapsedMillis + wait > budgetMillis) {
            return new Decision(false, wait, why + " (the wait would pass the budget of " + budgetMillis + " ms)");
        }
        return new Decision(true, wait, why);
    }

    /** Exponential backoff with jitter: {@code backoffMillis * 2^(attempts-1)} plus up to half of it, capped. */
    public long backoff(int attempts) {
        long base = backoffMillis << Math.min(Math.max(attempts, 1) - 1, 20);
        long jittered = base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Math.min(jittered, maxWaitMillis);
    }

    /** What kind of failure this is, looking through its causes. */
    public static Failure kind(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PrefectStatusException s) {
                return s.rateLimited() ? Failure.RATE_LIMITED : Failure.SERVER_ERROR;
            }
            if (c.getClass().getName().endsWith("CallNotPermittedException")) {
                return Failure.BREAKER_OPEN;
            }
            if (c instanceof IOException || c instanceof TimeoutException) {
                return Failure.CONNECTION;
            }
        }
        return Failure.OTHER;
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    // --- as a Policy: the wrapped steps are one attempt, redelivered by Camel's DefaultErrorHandler ---

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to change in the model
    }

    @Override
    public Processor wrap(Route route, Processor attempt) {
        DefaultErrorHandlerDefinition handler = new DefaultErrorHandlerDefinition();
        handler.setRetryWhilePredicate(this);
        RedeliveryPolicyDefinition redelivery = handler.getRedeliveryPolicy();
        redelivery.setAsyncDelayedRedelivery("true");
        redelivery.setMaximumRedeliveries("-1"); // the predicate decides
        redelivery.setRedeliveryDelay("0");
        redelivery.setLogRetryAttempted("false");
        redelivery.setLogExhausted("false");
        redelivery.setLogStackTrace("false");
        redelivery.setLogNewException("false");
        redelivery.setLogExhaustedMessageHistory("false");
        try {
            Processor counted = new DelegateAsyncProcessor(attempt) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    PrefectRetries.this.attempt(exchange);
                    return super.process(exchange, callback);
                }
            };
            Processor redelivered = ErrorHandlerReifier.reifier(route, handler).createErrorHandler(counted);
            return new DelegateAsyncProcessor(redelivered) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    PrefectRetries.this.start(exchange);
                    return super.process(exchange, callback);
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the retries of the Prefect call", e);
        }
    }
}
