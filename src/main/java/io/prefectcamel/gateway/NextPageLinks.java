package io.prefectcamel.gateway;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Rewrites the {@code next_page} link of an EventPage from Prefect's URL to the facade's own
 * {@code .../events/filter/next} URL, so a caller can follow it without talking to Prefect.
 */
public final class NextPageLinks {

    private static final ObjectMapper JSON = new ObjectMapper();

    public void rewrite(Exchange exchange) throws Exception {
        Message msg = exchange.getMessage();
        if (msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) != 200) {
            return;
        }
        String body = msg.getBody(String.class);
        if (body == null || body.isEmpty()) {
            return;
        }
        JsonNode page;
        String token;
        try {
            page = JSON.readTree(body);
            JsonNode next = page.get("next_page");
            if (!(page instanceof ObjectNode) || next == null || !next.isTextual()) {
                return;
            }
            token = pageToken(next.asText());
        } catch (JsonProcessingException | IllegalArgumentException | IllegalStateException notAnEventPage) {
            return; // not a page this facade can link to: Prefect's answer goes back unchanged
        }
        ObjectNode obj = (ObjectNode) page;
        String upstreamPath = exchange.getProperty(Gateway.PATH, String.class);
        String scope = upstreamPath.substring(0, upstreamPath.indexOf("/events/filter"));
        String base = exchange.getProperty(Gateway.FACADE_BASE, "", String.class);
        obj.put("next_page", base + "/v1" + scope + "/events/filter/next?page-token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        msg.setBody(JSON.writeValueAsString(obj));
    }

    /** The {@code page-token} query value of a next_page URL (Prefect's or the facade's). */
    public static String pageToken(String nextPage) {
        String query = URI.create(nextPage).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("page-token")) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalStateException("next_page has no page-token");
    }
}
