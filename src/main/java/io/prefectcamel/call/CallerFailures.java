package io.prefectcamel.call;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeExtension;

/**
 * A Prefect call's retries are Camel redeliveries of their own (see {@link PrefectRetries}). When they are over,
 * Camel marks the exchange as exhausted, and an error handler that meets an exhausted exchange leaves it alone:
 * the failure the Kamelet raises afterwards would then pass the caller's error handler (a Pipe's dead letter sink,
 * a route's dead letter channel) by. {@link #handOver(Exchange)} clears those marks once the call's own retries are
 * done, so that the failure is the caller's to handle like any other.
 */
public final class CallerFailures {

    private CallerFailures() {
    }

    /** Clears the marks the call's own error handler left on the exchange. */
    public static void handOver(Exchange exchange) {
        ExchangeExtension extension = exchange.getExchangeExtension();
        extension.setRedeliveryExhausted(false);
        extension.setErrorHandlerHandled(null);
        extension.setFailureHandled(false);
    }
}
