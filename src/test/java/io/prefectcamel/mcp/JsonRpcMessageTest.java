package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

/** The transport's reading of a JSON-RPC message gives what the SDK's reader gives, and refuses what it refuses. */
class JsonRpcMessageTest {

    private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new ObjectMapper());

    private static McpSchema.JSONRPCMessage read(String text) throws Exception {
        return VertxStreamableTransport.message(JSON, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyKindOfMessageIsReadAsTheSdkReadsIt() throws Exception {
        for (String text : List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"read-workspace-events\","
                        + "\"arguments\":{\"limit\":15,\"filter\":{\"event\":{\"prefix\":[\"prefect.\"]}}}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/list\"}",
                "{\"id\":12345678901,\"method\":\"ping\",\"jsonrpc\":\"2.0\",\"extra\":true}",
                "{\"jsonrpc\":2.0,\"id\":3,\"method\":\"ping\"}", // a version that is no string: converted, as the SDK does
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"no\"}}",
                "  {\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"} ")) {
            McpSchema.JSONRPCMessage ours = read(text);
            McpSchema.JSONRPCMessage sdk = McpSchema.deserializeJsonRpcMessage(JSON, text);
            assertThat(ours).as(text).isEqualTo(sdk);
            assertThat(ours.getClass()).as(text).isEqualTo(sdk.getClass());
        }
        McpSchema.JSONRPCRequest call = (McpSchema.JSONRPCRequest) read(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"arguments\":{\"limit\":15}}}");
        assertThat(call.id()).isEqualTo(2);
        assertThat(call.params()).isEqualTo(java.util.Map.of("arguments", java.util.Map.of("limit", 15)));
    }

    @Test
    void whatTheSdkRefusesIsRefused() {
        for (String text : List.of("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", "{\"jsonrpc\":\"\",\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}", "{\"jsonrpc\":\"2.0\"}", "null", "\"text\"", "{",
                "[]")) {
            assertThatThrownBy(() -> McpSchema.deserializeJsonRpcMessage(JSON, text)).as("sdk: " + text)
                    .isInstanceOf(Exception.class);
            assertThatThrownBy(() -> read(text)).as(text).isInstanceOf(Exception.class);
        }
    }
}
