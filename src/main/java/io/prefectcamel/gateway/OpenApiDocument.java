package io.prefectcamel.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Serves the facade's OpenAPI document as JSON and as YAML. */
public final class OpenApiDocument {

    private final String json;
    private final String yaml;

    public OpenApiDocument() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FacadeSpec.LOCATION)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(FacadeSpec.get().document());
    }

    public void json(Exchange exchange) {
        answer(exchange.getMessage(), json, "application/json");
    }

    public void yaml(Exchange exchange) {
        answer(exchange.getMessage(), yaml, "application/yaml");
    }

    private static void answer(Message msg, String body, String type) {
        msg.removeHeaders("*");
        msg.setHeader(Exchange.CONTENT_TYPE, type);
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        msg.setBody(body);
    }
}
