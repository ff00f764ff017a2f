package io.prefectcamel.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** RFC 9457 problem documents for the errors the facade makes itself. */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static String body(int status, String title, String detail, String parameter, String instance) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "https://prefect-camel.dev/problems/" + slug(title));
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        if (instance != null) {
            node.put("instance", instance);
        }
        if (parameter != null) {
            node.put("parameter", parameter);
        }
        return node.toString();
    }

    /** Replaces the message with a problem answer. */
    public static void answer(Exchange exchange, int status, String title, String detail, String parameter) {
        Message msg = exchange.getMessage();
        String instance = exchange.getProperty(Gateway.FACADE_PATH, String.class);
        msg.setBody(body(status, title, detail, parameter, instance));
        msg.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        msg.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
