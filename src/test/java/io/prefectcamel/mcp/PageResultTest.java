package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A page from Prefect becomes the same tool result whether it is spliced and checked as a stream (the usual way) or
 * read as a tree (whatever the stream cannot vouch for): its link completed, its token added, its text the structured
 * content's JSON, and valid for the tool's output schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectReader EXACT = JSON.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String ACCOUNT = "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f";
    private static final String WORKSPACE = "4f6e8d2c-1b3a-4d5e-9f80-7a6b5c4d3e2f";
    private static final String EVENT = "{\"occurred\":\"2026-12-01T10:00:00Z\",\"event\":\"prefect.flow-run.Completed\","
            + "\"resource\":{\"prefect.resource.id\":\"prefect.flow-run.1\"},\"related\":[],\"payload\":{\"n\":1.50},"
            + "\"id\":\"0b3e1a52-7c4d-4f7e-9a51-2f8d6c1e9b20\",\"follows\":null,\"account\":\"" + ACCOUNT + "\","
            + "\"workspace\":\"" + WORKSPACE + "\",\"received\":\"2026-12-01T10:00:01Z\"}";

    private final AtomicReference<byte[]> answer = new AtomicReference<>();
    private DefaultCamelContext context;
    private FacadeToolInvoker invoker;
    private ToolSchemaValidator validator;
    private ToolDefinition read;
    private McpSchema.Tool tool;

    @BeforeAll
    void start() throws Exception {
        context = new DefaultCamelContext();
        Properties props = new Properties();
        props.put("mcp.toolsets", "events");
        props.put("facade.public-url", "https://facade.example/");
        context.getPropertiesComponent().setInitialProperties(props);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:readWorkspaceEvents").process(ex -> {
                    ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    ex.getMessage().setBody(answer.get());
                });
            }
        });
        context.start();
        McpSettings settings = McpSettings.from(context);
        try (InputStream in = PageResultTest.class.getResourceAsStream("/openapi/prefect-camel-openapi.yaml")) {
            read = ToolCatalog.build(ToolCatalog.readDocument(in), settings).tools().stream()
                    .filter(t -> t.name().equals("read-workspace-events")).findFirst().orElseThrow();
        }
        ProducerTemplate template = context.createProducerTemplate();
        template.setThreadedAsyncMode(false);
        validator = new ToolSchemaValidator(JSON);
        invoker = new FacadeToolInvoker(template, JSON, validator, settings, null, (caller, name) -> true);
        tool = invoker.specification(read).tool();
    }

    @AfterAll
    void stop() throws Exception {
        context.close();
    }

    /** The tool's result for this answer from Prefect, held to the expected structured content. */
    private StructuredJson result(String page, String expected, boolean streamed) throws Exception {
        return result(page.getBytes(StandardCharsets.UTF_8), expected, streamed);
    }

    private StructuredJson result(byte[] page, String expected, boolean streamed) throws Exception {
        answer.set(page);
        McpSchema.CallToolResult r = invoker.call(read, tool, Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE),
                null).block();
        assertThat(r.isError()).as(String.valueOf(r.content())).isFalse();
        StructuredJson content = (StructuredJson) r.structuredContent();
        String text = ((McpSchema.TextContent) r.content().get(0)).text();
        JsonNode want = JSON.readTree(expected);
        assertThat(JSON.readTree(text)).isEqualTo(want);
        assertThat(text).isSameAs(content.json());
        assertThat(content.utf8()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        // the tree the output check reads: the text's value, decimals as written (1.50 stays 1.50)
        assertThat(content.tree()).isEqualTo(EXACT.readTree(text));
        assertThat(content.vouchedFor(tool.outputSchema())).as("checked as a stream").isEqualTo(streamed);
        assertThat(validator.validate(tool.outputSchema(), content).valid()).isTrue();
        // and written out as the JSON-RPC answer: the text and the structured content are that JSON
        byte[] wire = ToolResultWriter.write(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, 5, r, null));
        JsonNode sent = JSON.readTree(wire);
        assertThat(sent.at("/result/structuredContent")).isEqualTo(want);
        assertThat(JSON.readTree(sent.at("/result/content/0/text").asText())).isEqualTo(want);
        String hint = ((McpSchema.TextContent) r.content().get(1)).text();
        JsonNode token = want.get("next_page_token");
        assertThat(hint).isEqualTo(token.isNull() ? "Last page: there is no next page."
                : "More results: for the next page call read-workspace-events-page with page_token=" + token.asText()
                        + ".");
        return content;
    }

    private static String page(String members) {
        return "{\"events\":[" + EVENT + "," + EVENT + "],\"total\":2" + members + "}";
    }

    @Test
    void aPageWithItsLinkLastIsSplicedAndCheckedAsAStream() throws Exception {
        result(page(",\"next_page\":\"https://api.prefect.cloud/api/x/filter/next?page-token=abc%2F1\""),
                page(",\"next_page\":\"https://api.prefect.cloud/api/x/filter/next?page-token=abc%2F1\","
                        + "\"next_page_token\":\"abc/1\""), true);
    }

    @Test
    void aRelativeLinkBecomesOneToTheFacade() throws Exception {
        result(page(",\"next_page\":\"/v1/api/x/next?page-token=t1\""),
                page(",\"next_page\":\"https://facade.example/v1/api/x/next?page-token=t1\",\"next_page_token\":\"t1\""),
                true);
    }

    @Test
    void theLastPageHasANullToken() throws Exception {
        result(page(",\"next_page\":null"), page(",\"next_page\":null,\"next_page_token\":null"), true);
    }

    @Test
    void aLinkElsewhereOrEscapedIsFoundByTheParser() throws Exception {
        String first = "{\"next_page\":\"https:\\/\\/api.prefect.cloud\\/n?page-token=e\\u0041\",\"events\":[" + EVENT
                + "],\"total\":1}";
        result(first, "{\"next_page\":\"https://api.prefect.cloud/n?page-token=eA\",\"events\":[" + EVENT
                + "],\"total\":1,\"next_page_token\":\"eA\"}", true);
    }

    @Test
    void textOutsideAsciiAndLineBreaksStayAsPrefectSentThem() throws Exception {
        String unicode = EVENT.replace("prefect.flow-run.1", "flow \u00e9t\u00e9 \u2713 \ud83d\ude00");
        String sent = "{\n  \"events\": [" + unicode + "],\n  \"total\": 1,\n  \"next_page\": null\n}\n";
        result(sent, "{\"events\":[" + unicode + "],\"total\":1,\"next_page\":null,\"next_page_token\":null}", true);
    }

    @Test
    void aMalformedByteBecomesTheReplacementCharacterInTextAndBytesAlike() throws Exception {
        byte[] sent = page(",\"next_page\":null").replace("flow-run.1", "flow-run.#").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < sent.length; i++) {
            if (sent[i] == '#') {
                sent[i] = (byte) 0xFF;
            }
        }
        result(sent, page(",\"next_page\":null,\"next_page_token\":null").replace("flow-run.1", "flow-run.\ufffd"),
                true);
    }

    @Test
    void whatTheStreamCannotVouchForIsReadAsATree() throws Exception {
        // a token in Prefect's answer already: replaced by the link's (the splice would name it twice)
        result(page(",\"next_page_token\":\"old\",\"next_page\":\"https://api.prefect.cloud/n?page-token=new\""),
                page(",\"next_page_token\":\"new\",\"next_page\":\"https://api.prefect.cloud/n?page-token=new\""),
                false);
        // the link twice: the last one counts, as for any JSON reader
        result(page(",\"next_page\":\"https://a.example/n?page-token=one\",\"next_page\":\"https://a.example/n?page-token=two\""),
                page(",\"next_page\":\"https://a.example/n?page-token=two\",\"next_page_token\":\"two\""), false);
        // a decimal where the schema wants an integer: JSON Schema's equality decides (2.0 is an integer)
        result(page(",\"next_page\":null").replace("\"total\":2", "\"total\":2.0"),
                page(",\"next_page\":null,\"next_page_token\":null").replace("\"total\":2", "\"total\":2.0"), false);
    }

    @Test
    void aPageThatBreaksItsSchemaIsNeverVouchedFor() throws Exception {
        answer.set(page(",\"next_page\":null").replace("\"id\":\"0b3e1a52-7c4d-4f7e-9a51-2f8d6c1e9b20\",", "")
                .getBytes(StandardCharsets.UTF_8));
        McpSchema.CallToolResult r = invoker.call(read, tool, Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE),
                null).block();
        StructuredJson content = (StructuredJson) r.structuredContent();
        assertThat(content.vouchedFor(tool.outputSchema())).isFalse();
        // the server's output check (the SDK asks the validator) refuses it, naming the missing property
        var check = validator.validate(tool.outputSchema(), content);
        assertThat(check.valid()).isFalse();
        assertThat(check.errorMessage()).contains("id");
        ObjectNode tree = (ObjectNode) content.tree();
        assertThat(tree.get("next_page_token").isNull()).isTrue();
    }
}
