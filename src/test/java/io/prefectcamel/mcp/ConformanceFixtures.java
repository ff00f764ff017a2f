package io.prefectcamel.mcp;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * The fixture tools the MCP conformance suite calls ({@code test_*} and {@code json_schema_2020_12_tool}).
 * Test classpath only, and registered only with {@code mcp.test-fixtures=true}.
 */
public class ConformanceFixtures implements McpToolContributor {

    /** A 1x1 red PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    static final String WAV = Base64.getEncoder().encodeToString(silentWav());

    private static final Map<String, Object> NO_ARGS = Map.of("type", "object", "properties", Map.of());

    @Override
    public List<McpServerFeatures.AsyncToolSpecification> tools() {
        return List.of(
                tool("test_simple_text", "Returns a fixed text", NO_ARGS, (ex, req) ->
                        Mono.just(result(text("This is a simple text response for testing.")))),
                tool("test_image_content", "Returns a 1x1 PNG", NO_ARGS, (ex, req) ->
                        Mono.just(result(new McpSchema.ImageContent(null, PNG, "image/png")))),
                tool("test_audio_content", "Returns a short silent WAV", NO_ARGS, (ex, req) ->
                        Mono.just(result(new McpSchema.AudioContent(null, WAV, "audio/wav")))),
                tool("test_embedded_resource", "Returns an embedded text resource", NO_ARGS, (ex, req) ->
                        Mono.just(result(new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents(
                                "test://embedded-resource", "text/plain", "This is an embedded resource content."))))),
                tool("test_multiple_content_types", "Returns text, image and resource", NO_ARGS, (ex, req) ->
                        Mono.just(McpSchema.CallToolResult.builder().content(List.of(
                                text("Multiple content types test:"),
                                new McpSchema.ImageContent(null, PNG, "image/png"),
                                new McpSchema.EmbeddedResource(null, new McpSchema.TextResourceContents(
                                        "test://mixed-content-resource", "application/json",
                                        "{\"test\":\"data\",\"value\":123}")))).build())),
                tool("test_tool_with_logging", "Sends three log notifications", NO_ARGS, (ex, req) ->
                        log(ex, "Tool execution started")
                                .then(Mono.delay(Duration.ofMillis(50)))
                                .then(log(ex, "Tool processing data"))
                                .then(Mono.delay(Duration.ofMillis(50)))
                                .then(log(ex, "Tool execution completed"))
                                .thenReturn(result(text("Tool with logging executed successfully")))),
                tool("test_tool_with_progress", "Reports progress 0, 50, 100", NO_ARGS, (ex, req) -> {
                    Object token = req.meta() == null ? null : req.meta().get("progressToken");
                    return progress(ex, token, 0)
                            .then(Mono.delay(Duration.ofMillis(50)))
                            .then(progress(ex, token, 50))
                            .then(Mono.delay(Duration.ofMillis(50)))
                            .then(progress(ex, token, 100))
                            .thenReturn(result(text("Tool with progress executed successfully")));
                }),
                tool("test_error_handling", "Always fails", NO_ARGS, (ex, req) ->
                        Mono.just(McpSchema.CallToolResult.builder().isError(true)
                                .addTextContent("This tool intentionally returns an error for testing").build())),
                tool("test_sampling", "Asks the client's LLM", schema(Map.of("prompt", Map.of("type", "string")),
                        List.of("prompt")), (ex, req) -> {
                    if (ex.getClientCapabilities() == null || ex.getClientCapabilities().sampling() == null) {
                        return Mono.just(error("The client does not support sampling"));
                    }
                    String prompt = String.valueOf(req.arguments().get("prompt"));
                    McpSchema.CreateMessageRequest sampling = McpSchema.CreateMessageRequest.builder(
                            List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, text(prompt))), 100).build();
                    return ex.createMessage(sampling).map(r -> result(text("LLM response: "
                            + (r.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(r.content())))));
                }),
                tool("test_elicitation", "Asks the user", schema(Map.of("message", Map.of("type", "string")),
                        List.of("message")), (ex, req) -> elicit(ex, String.valueOf(req.arguments().get("message")),
                        schema(Map.of(
                                "username", Map.of("type", "string", "description", "User's response"),
                                "email", Map.of("type", "string", "description", "User's email address")),
                                List.of("username", "email")), "User response: ")),
                tool("test_elicitation_sep1034_defaults", "Elicitation with defaults", NO_ARGS, (ex, req) ->
                        elicit(ex, "Please confirm your details", schema(ordered(
                                "name", Map.of("type", "string", "default", "John Doe"),
                                "age", Map.of("type", "integer", "default", 30),
                                "score", Map.of("type", "number", "default", 95.5),
                                "status", Map.of("type", "string", "enum", List.of("active", "inactive", "pending"),
                                        "default", "active"),
                                "verified", Map.of("type", "boolean", "default", true)), List.of()),
                                "Elicitation completed: ")),
                tool("test_elicitation_sep1330_enums", "Elicitation with enum variants", NO_ARGS, (ex, req) ->
                        elicit(ex, "Please choose", schema(ordered(
                                "untitledSingle", Map.of("type", "string", "enum", List.of("option1", "option2", "option3")),
                                "titledSingle", Map.of("type", "string", "oneOf", List.of(
                                        Map.of("const", "value1", "title", "First Option"),
                                        Map.of("const", "value2", "title", "Second Option"),
                                        Map.of("const", "value3", "title", "Third Option"))),
                                "legacyEnum", Map.of("type", "string", "enum", List.of("opt1", "opt2", "opt3"),
                                        "enumNames", List.of("Option One", "Option Two", "Option Three")),
                                "untitledMulti", Map.of("type", "array", "items",
                                        Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))),
                                "titledMulti", Map.of("type", "array", "items", Map.of("anyOf", List.of(
                                        Map.of("const", "value1", "title", "First Choice"),
                                        Map.of("const", "value2", "title", "Second Choice"),
                                        Map.of("const", "value3", "title", "Third Choice"))))), List.of()),
                                "Elicitation completed: ")),
                tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", ordered(
                        "$schema", "https://json-schema.org/draft/2020-12/schema",
                        "type", "object",
                        "$defs", Map.of("address", Map.of("type", "object", "properties", Map.of(
                                "street", Map.of("type", "string"), "city", Map.of("type", "string")))),
                        "properties", Map.of("name", Map.of("type", "string"),
                                "address", Map.of("$ref", "#/$defs/address")),
                        "additionalProperties", false), (ex, req) ->
                        Mono.just(result(text("Received: " + req.arguments())))));
    }

    private static McpServerFeatures.AsyncToolSpecification tool(String name, String description,
            Map<String, Object> inputSchema,
            java.util.function.BiFunction<McpAsyncServerExchange, McpSchema.CallToolRequest, Mono<McpSchema.CallToolResult>> handler) {
        return McpServerFeatures.AsyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).description(description).inputSchema(inputSchema).build())
                .callHandler(handler)
                .build();
    }

    private static Mono<McpSchema.CallToolResult> elicit(McpAsyncServerExchange ex, String message,
            Map<String, Object> requested, String prefix) {
        if (ex.getClientCapabilities() == null || ex.getClientCapabilities().elicitation() == null) {
            return Mono.just(error("The client does not support elicitation"));
        }
        return ex.createElicitation(new McpSchema.ElicitFormRequest(message, requested, null))
                .map(r -> result(text(prefix + "action=" + r.action().name().toLowerCase() + ", content="
                        + r.content())));
    }

    private static Mono<Void> log(McpAsyncServerExchange ex, String message) {
        return ex.loggingNotification(new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.INFO,
                "conformance", message));
    }

    private static Mono<Void> progress(McpAsyncServerExchange ex, Object token, double value) {
        return token == null ? Mono.empty()
                : ex.progressNotification(new McpSchema.ProgressNotification(token, value, 100.0, null));
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        return s;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static McpSchema.TextContent text(String s) {
        return new McpSchema.TextContent(s);
    }

    private static McpSchema.CallToolResult result(McpSchema.Content content) {
        return McpSchema.CallToolResult.builder().content(List.of(content)).build();
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(message).build();
    }

    /** 0.1 s of 8 kHz 8-bit mono silence. */
    private static byte[] silentWav() {
        int samples = 800;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeAscii(out, "RIFF");
        writeInt(out, 36 + samples);
        writeAscii(out, "WAVEfmt ");
        writeInt(out, 16);
        writeShort(out, 1);
        writeShort(out, 1);
        writeInt(out, 8000);
        writeInt(out, 8000);
        writeShort(out, 1);
        writeShort(out, 8);
        writeAscii(out, "data");
        writeInt(out, samples);
        for (int i = 0; i < samples; i++) {
            out.write(128);
        }
        return out.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >> 8) & 0xff);
        out.write((v >> 16) & 0xff);
        out.write((v >> 24) & 0xff);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >> 8) & 0xff);
    }
}
