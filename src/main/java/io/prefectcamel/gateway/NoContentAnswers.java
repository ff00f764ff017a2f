package io.prefectcamel.gateway;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.rest.openapi.DefaultRestOpenapiProcessorStrategy;
import org.apache.camel.support.processor.RestBindingAdvice;

/**
 * Contract-first REST as usual, except that a 204 answer goes back without a Content-Type. After the route, the
 * REST binding gives every 2xx answer that has none the operation's list of response media types
 * ({@code application/json,application/problem+json}), so Prefect's bodiless 204 would not reach the caller unchanged.
 */
public class NoContentAnswers extends DefaultRestOpenapiProcessorStrategy {

    @Override
    public boolean process(OpenAPI openAPI, Operation operation, String verb, String path, RestBindingAdvice binding,
                           Exchange exchange, AsyncCallback callback) {
        return super.process(openAPI, operation, verb, path, binding, exchange, doneSync -> {
            Message msg = exchange.getMessage();
            if (msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) == 204) {
                msg.removeHeader(Exchange.CONTENT_TYPE);
            }
            callback.done(doneSync);
        });
    }
}
