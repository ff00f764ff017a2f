package io.prefectcamel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The next_page rewrite works on Prefect's bytes: only the top-level link changes, everything else (events with
 * non-ASCII text, escapes, a nested "next_page" in a payload) goes back byte for byte.
 */
class NextPageRewriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCOPE = "/api/accounts/9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f";

    private static byte[] rewrite(String body) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
            exchange.setProperty(Gateway.PATH, SCOPE + "/events/filter");
            exchange.setProperty(Gateway.FACADE_BASE, "http://localhost:8080");
            new NextPageLinks().rewrite(exchange);
            return exchange.getMessage().getBody(byte[].class);
        }
    }

    @Test
    void onlyTheTopLevelLinkChangesAndTheEventsStayByteForByte() throws Exception {
        String events = "{\"events\":[{\"id\":\"e1\",\"event\":\"caf\u00e9.\u6f22\u5b57 \\\"quoted\\\" \\u00e9\","
                + "\"payload\":{\"next_page\":\"https://api.prefect.cloud/elsewhere?page-token=nested\"}}],\"total\":2,";
        String body = events + "\"next_page\":\"https:\\/\\/api.prefect.cloud" + SCOPE
                + "\\/events\\/filter\\/next?page-token=abc%2Bd\"}";
        String out = new String(rewrite(body), StandardCharsets.UTF_8);
        assertThat(out).startsWith(events);
        assertThat(out).endsWith("\"next_page\":\"http://localhost:8080/v1" + SCOPE
                + "/events/filter/next?page-token=abc%2Bd\"}");
        JsonNode page = JSON.readTree(out);
        assertThat(page.at("/events/0/payload/next_page").asText()).endsWith("page-token=nested");
    }

    @Test
    void aLinkAtTheEndIsFoundWithoutParsingTheEventsAndANestedOneIsLeftAlone() throws Exception {
        String events = "{\"events\":[{\"id\":\"e1\",\"payload\":{\"next_page\":\"https://x.example/?page-token=nested\"}}],"
                + "\"total\":2, ";
        String out = new String(rewrite(events + "\"next_page\" : \"https://api.prefect.cloud" + SCOPE
                + "/events/filter/next?page-token=t2\" }\n"), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(events + "\"next_page\" : \"http://localhost:8080/v1" + SCOPE
                + "/events/filter/next?page-token=t2\" }\n");
        // the only next_page is nested: nothing changes
        String nestedOnly = "{\"events\":[{\"payload\":{\"next_page\":\"https://x.example/?page-token=nested\"}}]}";
        assertThat(new String(rewrite(nestedOnly), StandardCharsets.UTF_8)).isEqualTo(nestedOnly);
        // a string value that only looks like a last next_page member
        String inAString = "{\"note\":\"x\\\",\\\"next_page\\\":\\\"https://x.example/?page-token=fake\"}";
        assertThat(new String(rewrite(inAString), StandardCharsets.UTF_8)).isEqualTo(inAString);
    }

    @Test
    void aLinkBeforeTheEventsIsFoundToo() throws Exception {
        String body = "{\"next_page\":\"https://api.prefect.cloud" + SCOPE + "/events/filter/next?page-token=t1\","
                + "\"events\":[{\"id\":\"e1\"}],\"total\":1}";
        JsonNode page = JSON.readTree(rewrite(body));
        assertThat(page.path("next_page").asText())
                .isEqualTo("http://localhost:8080/v1" + SCOPE + "/events/filter/next?page-token=t1");
        assertThat(page.path("events").size()).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotOneJsonObjectOrHasNoLinkPassesThroughUnchanged() throws Exception {
        for (String body : new String[] {
                "{\"events\":[],\"next_page\":null}",
                "{\"events\":[],\"total\":0}",
                "[{\"next_page\":\"https://api.prefect.cloud/x?page-token=a\"}]",
                "{\"next_page\":\"https://api.prefect.cloud/x?page-token=a\"} trailing",
                "{\"next_page\":\"https://api.prefect.cloud/x?page-token=a\",",
                "not json"}) {
            assertThat(new String(rewrite(body), StandardCharsets.UTF_8)).as(body).isEqualTo(body);
        }
    }
}
