package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

/** A page's tool result written by hand is byte for byte what Jackson writes, and only that shape is written so. */
class ToolResultWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JacksonMcpJsonMapper JSON = new JacksonMcpJsonMapper(MAPPER);

    private static McpSchema.JSONRPCResponse response(Object id, String json, String... more) throws Exception {
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
                .structuredContent(new StructuredJson(MAPPER.readTree(json), json))
                .addTextContent(json);
        for (String text : more) {
            result.addTextContent(text);
        }
        return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, result.build(), null);
    }

    /** The same JSON as Jackson's (a character outside the BMP Jackson escapes as a surrogate pair, this does not). */
    private static void sameAsJackson(McpSchema.JSONRPCResponse response) throws Exception {
        byte[] byHand = ToolResultWriter.write(response);
        assertThat(byHand).isNotNull();
        JsonNode back = MAPPER.readTree(byHand);
        assertThat(back).isEqualTo(MAPPER.readTree(JSON.writeValueAsBytes(response)));
        assertThat(back.at("/result/content/0/text").asText())
                .isEqualTo(((StructuredJson) ((McpSchema.CallToolResult) response.result()).structuredContent()).json());
    }

    @Test
    void aPageIsWrittenAsJacksonWritesIt() throws Exception {
        String page = Files.readString(Path.of("bench/event-page.json"));
        McpSchema.JSONRPCResponse first = response(2, page.strip(), "More results: for the next page call"
                + " read-workspace-events-page with page_token=eyJvZmZzZXQiOjEwfQ.");
        sameAsJackson(first);
        assertThat(new String(ToolResultWriter.write(first), StandardCharsets.UTF_8))
                .isEqualTo(new String(JSON.writeValueAsBytes(first), StandardCharsets.UTF_8));
        sameAsJackson(response("req-\"7\"", page.strip()));
        sameAsJackson(response(9_000_000_000L, page));
    }

    @Test
    void everyCharacterThatNeedsAnEscapeGetsJacksonsOne() throws Exception {
        StringBuilder text = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            if (c != '"' && c != '\\') {
                text.append(c);
            }
        }
        text.append("\\\" é ü ✓ 😀 \u2028 \u007f");
        String json = MAPPER.writeValueAsString(Map.of("s", text.toString(), "n", 1.5)) + "\n\t ";
        sameAsJackson(response(1, json, "line\none \"quoted\" \u0001"));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 40; j++) {
                s.append((char) (random.nextBoolean() ? random.nextInt(0x80) : 0x80 + random.nextInt(0xD000)));
            }
            sameAsJackson(response(i, MAPPER.writeValueAsString(Map.of("v", s.toString()))));
        }
        // quotes, backslashes, controls and multi-byte characters at every position of an eight-byte word
        char[] alphabet = { '"', '\\', 'a', 'é', '\n', '\u0001', '\u007f', '~', ' ' };
        for (int i = 0; i < 400; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = random.nextInt(70); j > 0; j--) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String v = MAPPER.writeValueAsString(Map.of("v", s.toString()));
            sameAsJackson(response(i, v));
            // a raw tab, line break or return before the value, at any position of a word: the other path
            sameAsJackson(response(i, " ".repeat(random.nextInt(16)) + "\t\n\r".charAt(random.nextInt(3)) + v));
        }
    }

    @Test
    void otherResultsAreLeftToJackson() throws Exception {
        String json = "{\"a\":1}";
        McpSchema.CallToolResult error = McpSchema.CallToolResult.builder().isError(true).addTextContent("no").build();
        assertThat(ToolResultWriter.write(new McpSchema.JSONRPCResponse("2.0", 1, error, null))).isNull();
        McpSchema.CallToolResult otherText = McpSchema.CallToolResult.builder()
                .structuredContent(new StructuredJson(MAPPER.readTree(json), json)).addTextContent(new String(json)).build();
        assertThat(ToolResultWriter.write(new McpSchema.JSONRPCResponse("2.0", 1, otherText, null))).isNull();
        McpSchema.CallToolResult withMeta = McpSchema.CallToolResult.builder()
                .structuredContent(new StructuredJson(MAPPER.readTree(json), json)).addTextContent(json)
                .meta(Map.of("k", "v")).build();
        assertThat(ToolResultWriter.write(new McpSchema.JSONRPCResponse("2.0", 1, withMeta, null))).isNull();
        assertThat(ToolResultWriter.write(response("ünïcode", json))).isNull();
    }
}
