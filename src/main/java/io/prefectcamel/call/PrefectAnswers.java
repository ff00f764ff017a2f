package io.prefectcamel.call;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns Prefect's answers that call for a retry (or for the circuit breaker to count a failure) into exceptions, so
 * that Camel's error handler and circuit breaker see them. Used by the service's {@code direct:prefect-attempt} and
 * the {@code prefect-api-action} Kamelet, with the HTTP producer's {@code throwExceptionOnFailure=false}.
 */
public final class PrefectAnswers {

    private PrefectAnswers() {
    }

    /** Inside the circuit breaker: a 5xx answer is a failure it counts. */
    public static void failOnServerError(Exchange exchange) {
        int status = status(exchange.getMessage());
        if (status >= 500) {
            throw new PrefectStatusException(status, exchange.getMessage().getHeader("Retry-After", String.class));
        }
    }

    /** After the circuit breaker (a 429 is not Prefect failing): a 429 answer fails the attempt, to be retried. */
    public static void failOnRateLimit(Exchange exchange) {
        if (status(exchange.getMessage()) == 429) {
            throw new PrefectStatusException(429, exchange.getMessage().getHeader("Retry-After", String.class));
        }
    }

    private static int status(Message message) {
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }
}
