package io.prefectcamel.mcp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.search.OperationEntry;
import io.prefectcamel.search.OperationIndex;
import io.prefectcamel.search.SearchResults;
import reactor.core.publisher.Mono;

/**
 * The discovery tools: {@code search-operations} (find an operation by what the agent wants to do),
 * {@code describe-operation} (its schemas, hints and an example call) and {@code call-operation} (run it exactly as
 * its own tool does, through {@link FacadeToolInvoker}). {@code mcp.tool-mode=dynamic} lists only these three;
 * the default mode lists the operations' own tools and {@code search-operations}.
 *
 * <p>All three see only what the caller may use: the tools the server offers (the enabled toolsets and the
 * read-only mode, as {@link ToolCatalog} built them), narrowed by {@link #callerFilter}, the seam for the caller's
 * scopes once MCP callers authenticate (by default it lets everything through).
 */
final class DiscoveryTools {

    static final String SEARCH = "search-operations";
    static final String DESCRIBE = "describe-operation";
    static final String CALL = "call-operation";
    private static final String UUID_EXAMPLE = "0b3e1a52-7c4d-4f7e-9a51-2f8d6c1e9b20";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final OperationIndex index;
    private final FacadeToolInvoker invoker;
    private final ObjectMapper mapper;
    private final McpSettings settings;
    /** The tools the server offers, by every name (aliases too). */
    private final Map<String, ToolDefinition> byName = new LinkedHashMap<>();
    /** The tools the server offers, by operationId (their main name). */
    private final Map<String, ToolDefinition> byOperation = new LinkedHashMap<>();
    private final Map<String, McpSchema.Tool> described = new LinkedHashMap<>();
    private volatile Function<McpAsyncServerExchange, Predicate<ToolDefinition>> callerFilter =
            exchange -> tool -> true;

    DiscoveryTools(OperationIndex index, List<ToolDefinition> offered, FacadeToolInvoker invoker, ObjectMapper mapper,
            McpSettings settings) {
        this.index = index;
        this.invoker = invoker;
        this.mapper = mapper;
        this.settings = settings;
        for (ToolDefinition t : offered) {
            byName.put(t.name(), t);
            byOperation.putIfAbsent(t.operationId(), t);
            described.put(t.name(), invoker.specification(t).tool());
        }
    }

    /** What the caller of a request may use, on top of what the server offers. */
    void callerFilter(Function<McpAsyncServerExchange, Predicate<ToolDefinition>> filter) {
        this.callerFilter = filter;
    }

    /** {@code search-operations} alone (mode all), or all three (mode dynamic). */
    List<McpServerFeatures.AsyncToolSpecification> specifications(boolean dynamic) {
        List<McpServerFeatures.AsyncToolSpecification> specs = new ArrayList<>();
        specs.add(searchTool(dynamic));
        if (dynamic) {
            specs.add(describeTool());
            specs.add(callTool());
        }
        return specs;
    }

    // ---------------------------------------------------------------------------------------------- the tools

    private McpServerFeatures.AsyncToolSpecification searchTool(boolean dynamic) {
        ObjectNode input = objectSchema();
        props(input).putObject("query").put("type", "string").put("maxLength", OperationIndex.MAX_QUERY_LENGTH)
                .put("description", "What you want to do, in your own words (e.g. \"count events per day\", \"create"
                        + " a service account\"). Empty: every operation you may use.");
        props(input).putObject("limit").put("type", "integer").put("minimum", 1).put("maximum", OperationIndex.MAX_LIMIT)
                .put("description", "How many results, best first (1.." + OperationIndex.MAX_LIMIT + "; default "
                        + OperationIndex.DEFAULT_LIMIT + ", or all when query is empty).");
        input.putArray("required").add("query");
        McpSchema.Tool tool = tool(SEARCH, "Search operations",
                "Finds the Prefect operations that do what `query` says, best first, among those this server lets you"
                        + " use. Each result names the operation's tool (`tool`), what it does (`summary`), the facade's"
                        + " and Prefect's method and path, and a relevance `score`. "
                        + (dynamic ? "Then read it with describe-operation and run it with call-operation, passing"
                        + " its `tool` as `operation`." : "Then call the tool it names.") + " Reads nothing from Prefect.",
                input, resultsSchema(), readOnlyHints("Search operations"));
        return McpServerFeatures.AsyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> Mono.fromSupplier(() -> search(exchange, request.arguments())))
                .build();
    }

    private McpServerFeatures.AsyncToolSpecification describeTool() {
        ObjectNode input = objectSchema();
        props(input).putObject("operation").put("type", "string").put("minLength", 1)
                .put("description", "The operation's tool name as search-operations gave it (e.g. count-workspace-events).");
        input.putArray("required").add("operation");
        McpSchema.Tool tool = tool(DESCRIBE, "Describe an operation",
                "Describes one operation you found with search-operations: what it does, its input schema (the"
                        + " `arguments` of call-operation), its output schema, its hints (read-only, destructive,"
                        + " idempotent) and an example call-operation call. Reads nothing from Prefect.",
                input, describeSchema(), readOnlyHints("Describe an operation"));
        return McpServerFeatures.AsyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> Mono.fromSupplier(() -> describe(exchange, request.arguments())))
                .build();
    }

    private McpServerFeatures.AsyncToolSpecification callTool() {
        ObjectNode input = objectSchema();
        props(input).putObject("operation").put("type", "string").put("minLength", 1)
                .put("description", "The operation's tool name as search-operations gave it.");
        props(input).putObject("arguments").put("type", "object")
                .put("description", "The operation's arguments, as its input schema (describe-operation) says.");
        input.putArray("required").add("operation");
        boolean readOnly = byName.values().stream().allMatch(ToolDefinition::readOnly);
        McpSchema.ToolAnnotations hints = new McpSchema.ToolAnnotations("Call an operation", readOnly,
                byName.values().stream().anyMatch(ToolDefinition::destructive),
                byName.values().stream().allMatch(ToolDefinition::idempotent), true, null);
        McpSchema.Tool tool = tool(CALL, "Call an operation",
                "Runs one operation with `arguments`, exactly as its own tool does: the same validation, errors and"
                        + " result. " + (readOnly ? "This server is read-only: every operation it offers only reads."
                        : "It may change things in Prefect: check the operation's hints with describe-operation first,"
                        + " and confirm deletes with the user."),
                input, null, hints);
        return McpServerFeatures.AsyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(exchange, request.arguments()))
                .build();
    }

    // ---------------------------------------------------------------------------------------------- behaviour

    private Predicate<ToolDefinition> allowed(McpAsyncServerExchange exchange) {
        return callerFilter.apply(exchange);
    }

    private McpSchema.CallToolResult search(McpAsyncServerExchange exchange, Map<String, Object> arguments) {
        Map<String, Object> args = arguments == null ? Map.of() : arguments;
        Object query = args.get("query");
        if (query != null && !(query instanceof String)) {
            return error("Invalid arguments for " + SEARCH + ": `query` must be a string (what you want to do).");
        }
        String q = (String) query;
        if (q != null && q.length() > OperationIndex.MAX_QUERY_LENGTH) {
            return error("Invalid arguments for " + SEARCH + ": `query` must be at most "
                    + OperationIndex.MAX_QUERY_LENGTH + " characters; say it in fewer words.");
        }
        int limit = q == null || q.isBlank() ? Integer.MAX_VALUE : OperationIndex.DEFAULT_LIMIT;
        if (args.get("limit") != null) {
            Object l = args.get("limit");
            double d = l instanceof Number n ? n.doubleValue() : Double.NaN;
            if (d != Math.rint(d) || d < 1 || d > OperationIndex.MAX_LIMIT) {
                return error("Invalid arguments for " + SEARCH + ": `limit` must be a whole number from 1 to "
                        + OperationIndex.MAX_LIMIT + " (got " + l + ").");
            }
            limit = (int) d;
        }
        Predicate<ToolDefinition> caller = allowed(exchange);
        Predicate<OperationEntry> offered = e -> {
            ToolDefinition t = byOperation.get(e.operationId());
            return t != null && caller.test(t);
        };
        ObjectNode results = SearchResults.of(index.search(q, limit, offered));
        return McpSchema.CallToolResult.builder().structuredContent(mapper.convertValue(results, MAP))
                .addTextContent(results.toString()).build();
    }

    private McpSchema.CallToolResult describe(McpAsyncServerExchange exchange, Map<String, Object> arguments) {
        Object name = arguments == null ? null : arguments.get("operation");
        ToolDefinition def = find(exchange, name);
        if (def == null) {
            return unknown(DESCRIBE, name);
        }
        McpSchema.Tool tool = described.get(def.name());
        OperationEntry entry = index.find(def.operationId()).orElse(null);
        ObjectNode out = mapper.createObjectNode();
        out.put("operation", def.name());
        out.put("operation_id", def.operationId());
        out.put("title", def.title());
        out.put("description", def.description());
        out.put("toolset", def.toolset());
        out.put("method", entry == null ? null : entry.method());
        out.put("path", entry == null ? null : entry.path());
        out.put("prefect_method", entry == null ? null : entry.prefectMethod());
        out.put("prefect_path", entry == null ? null : entry.prefectPath());
        out.set("input_schema", mapper.valueToTree(tool.inputSchema()));
        out.set("output_schema", tool.outputSchema() == null ? mapper.nullNode() : mapper.valueToTree(tool.outputSchema()));
        ObjectNode hints = out.putObject("annotations");
        hints.put("readOnlyHint", def.readOnly());
        hints.put("destructiveHint", def.destructive());
        hints.put("idempotentHint", def.idempotent());
        hints.put("openWorldHint", def.openWorld());
        ObjectNode example = out.putObject("example");
        example.put("tool", CALL);
        ObjectNode exampleArgs = example.putObject("arguments");
        exampleArgs.put("operation", def.name());
        exampleArgs.set("arguments", exampleArguments(def.inputSchema()));
        return McpSchema.CallToolResult.builder().structuredContent(mapper.convertValue(out, MAP))
                .addTextContent(out.toString()).build();
    }

    private Mono<McpSchema.CallToolResult> call(McpAsyncServerExchange exchange, Map<String, Object> arguments) {
        Object name = arguments == null ? null : arguments.get("operation");
        ToolDefinition def = find(exchange, name);
        if (def == null) {
            return Mono.just(unknown(CALL, name));
        }
        Object given = arguments.get("arguments");
        if (given != null && !(given instanceof Map)) {
            return Mono.just(error("Invalid arguments for " + CALL + ": `arguments` must be an object of "
                    + def.name() + "'s arguments (see describe-operation), e.g. {\"operation\": \"" + def.name()
                    + "\", \"arguments\": {...}}."));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> toolArguments = given == null ? Map.of() : (Map<String, Object>) given;
        return invoker.call(def, described.get(def.name()), toolArguments,
                VertxStreamableTransport.caller(exchange));
    }


    private ToolDefinition find(McpAsyncServerExchange exchange, Object name) {
        if (!(name instanceof String n) || n.isBlank()) {
            return null;
        }
        ToolDefinition def = byName.get(n.trim());
        if (def == null) {
            def = byOperation.get(n.trim());
        }
        return def != null && allowed(exchange).test(def) ? def : null;
    }

    private McpSchema.CallToolResult unknown(String tool, Object name) {
        if (!(name instanceof String n) || n.isBlank()) {
            return error("Invalid arguments for " + tool + ": `operation` is required, a tool name as"
                    + " search-operations gives it (e.g. count-workspace-events).");
        }
        StringBuilder m = new StringBuilder("Unknown operation '").append(clip(n)).append("': it is not one this server"
                + " lets you use (toolsets: ").append(String.join(", ", settings.toolsets()))
                .append(settings.readOnly() ? "; read-only" : "").append("). Find one with search-operations");
        List<String> near = new ArrayList<>();
        index.search(n.replace('-', ' '), 3, e -> byOperation.containsKey(e.operationId()))
                .forEach(h -> near.add(h.operation().tool()));
        if (!near.isEmpty()) {
            m.append("; close matches: ").append(String.join(", ", near));
        }
        return error(m.append('.').toString());
    }

    // ---------------------------------------------------------------------------------------------- examples

    /** Arguments for an example call: every required argument, with a value of its schema's shape. */
    private JsonNode exampleArguments(JsonNode schema) {
        ObjectNode out = mapper.createObjectNode();
        for (JsonNode r : schema.path("required")) {
            out.set(r.asText(), example(r.asText(), schema.path("properties").path(r.asText()), 0));
        }
        return out;
    }

    private JsonNode example(String name, JsonNode schema, int depth) {
        if (schema.has("example")) {
            return schema.get("example");
        }
        if (schema.has("default") && !schema.get("default").isNull()) {
            return schema.get("default");
        }
        if (schema.path("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        for (String key : List.of("anyOf", "oneOf")) {
            for (JsonNode option : schema.path(key)) {
                if (!"null".equals(option.path("type").asText())) {
                    return example(name, option, depth);
                }
            }
        }
        String type = schema.path("type").isArray() ? firstNonNull(schema.path("type")) : schema.path("type").asText("");
        String format = schema.path("format").asText("");
        return switch (type) {
            case "integer", "number" -> mapper.getNodeFactory().numberNode(schema.path("minimum").asInt(1));
            case "boolean" -> mapper.getNodeFactory().booleanNode(true);
            case "array" -> {
                ArrayNode a = mapper.createArrayNode();
                if (depth < 3) {
                    a.add(example(name, schema.path("items"), depth + 1));
                }
                yield a;
            }
            case "object" -> {
                ObjectNode o = mapper.createObjectNode();
                if (depth < 3) {
                    for (JsonNode r : schema.path("required")) {
                        o.set(r.asText(), example(r.asText(), schema.path("properties").path(r.asText()), depth + 1));
                    }
                }
                yield o;
            }
            default -> mapper.getNodeFactory().textNode(switch (format) {
                case "uuid" -> UUID_EXAMPLE;
                case "date-time" -> "2025-06-01T00:00:00Z";
                case "date" -> "2025-06-01";
                case "email" -> "someone@example.com";
                default -> "<" + name + ">";
            });
        };
    }

    private static String firstNonNull(JsonNode types) {
        for (JsonNode t : types) {
            if (!"null".equals(t.asText())) {
                return t.asText();
            }
        }
        return "";
    }

    // ---------------------------------------------------------------------------------------------- schemas

    private McpSchema.Tool tool(String name, String title, String description, ObjectNode input, ObjectNode output,
            McpSchema.ToolAnnotations hints) {
        return McpSchema.Tool.builder().name(name).title(title).description(description)
                .inputSchema(mapper.convertValue(input, MAP))
                .outputSchema(output == null ? null : mapper.convertValue(output, MAP))
                .annotations(hints).build();
    }

    /** search and describe only read this server's catalog: read-only, idempotent, not open-world. */
    private static McpSchema.ToolAnnotations readOnlyHints(String title) {
        return new McpSchema.ToolAnnotations(title, true, false, true, false, null);
    }

    private ObjectNode objectSchema() {
        ObjectNode s = mapper.createObjectNode();
        s.put("type", "object");
        s.putObject("properties");
        s.put("additionalProperties", false);
        return s;
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private ObjectNode resultsSchema() {
        ObjectNode item = mapper.createObjectNode();
        item.put("type", "object");
        ObjectNode p = item.putObject("properties");
        for (String key : List.of("operation_id", "tool", "method", "path", "prefect_method", "prefect_path",
                "summary")) {
            p.putObject(key).put("type", "string");
        }
        p.putObject("score").putArray("type").add("number").add("null");
        ArrayNode required = item.putArray("required");
        for (Iterator<String> it = p.fieldNames(); it.hasNext();) {
            required.add(it.next());
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("type", "object");
        out.putObject("properties").putObject("results").put("type", "array").set("items", item);
        out.putArray("required").add("results");
        return out;
    }

    private ObjectNode describeSchema() {
        ObjectNode out = mapper.createObjectNode();
        out.put("type", "object");
        ObjectNode p = out.putObject("properties");
        for (String key : List.of("operation", "operation_id", "title", "description", "toolset")) {
            p.putObject(key).put("type", "string");
        }
        for (String key : List.of("method", "path", "prefect_method", "prefect_path")) {
            p.putObject(key).putArray("type").add("string").add("null");
        }
        p.putObject("input_schema").put("type", "object");
        p.putObject("output_schema").putArray("type").add("object").add("null");
        p.putObject("annotations").put("type", "object");
        p.putObject("example").put("type", "object");
        out.putArray("required").add("operation").add("input_schema").add("annotations").add("example");
        return out;
    }

    private McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(invoker.redact(message)).build();
    }

    private static String clip(String s) {
        String t = s.replaceAll("[\\r\\n\\t]", " ");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }
}
