package io.prefectcamel.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Builds the MCP tool list from the facade's OpenAPI document: each operation's {@code x-mcp} (derived from the
 * operation catalog, src/main/catalog/operations.yaml) gives the tool name, aliases, title, toolset, hints, the text
 * an agent reads and each argument's wording; parameters and body are flattened into one snake_case input schema;
 * the success answer becomes the output schema (a list wrapped in the object property {@code x-mcp.wrap} names).
 * Nothing here knows a particular operation: what is particular lives in the catalog.
 */
final class ToolCatalog {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final String UUID_EXAMPLE = "0b3e1a52-7c4d-4f7e-9a51-2f8d6c1e9b20";

    private final List<ToolDefinition> tools;

    private ToolCatalog(List<ToolDefinition> tools) {
        this.tools = List.copyOf(tools);
    }

    List<ToolDefinition> tools() {
        return tools;
    }

    /** What the server tells an agent on connecting: the catalog's text for each toolset it offers. */
    static String instructions(JsonNode document, McpSettings settings) {
        StringBuilder text = new StringBuilder("Tools for Prefect Cloud.");
        document.path("x-mcp-toolsets").fields().forEachRemaining(t -> {
            if (settings.toolsets().contains(t.getKey()) || settings.toolsets().contains("all")) {
                text.append(' ').append(t.getValue().asText().strip());
            }
        });
        if (settings.readOnly()) {
            text.append(" This server is read-only: it offers no tool that changes anything.");
        }
        return text.toString();
    }

    static JsonNode readDocument(InputStream in) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(in);
    }

    /**
     * @param document the OpenAPI document
     * @param settings which toolsets, read-only mode and the default account/workspace
     */
    static ToolCatalog build(JsonNode document, McpSettings settings) {
        SchemaResolver resolver = new SchemaResolver(document);
        List<ToolDefinition> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Iterator<Map.Entry<String, JsonNode>> methods = paths.next().getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                JsonNode op = m.getValue();
                if (!METHODS.contains(m.getKey()) || !op.has("x-mcp") || !op.has("operationId")) {
                    continue;
                }
                JsonNode mcp = op.get("x-mcp");
                String toolset = mcp.path("toolset").asText("default");
                if (!settings.toolsets().contains(toolset) && !settings.toolsets().contains("all")) {
                    continue;
                }
                if (settings.readOnly() && !mcp.path("readOnlyHint").asBoolean(false)) {
                    continue;
                }
                ToolDefinition tool = buildTool(op, resolver, settings);
                out.add(tool);
                for (JsonNode alias : mcp.path("aliases")) {
                    out.add(tool.withName(alias.asText(), tool.title() + " (compatibility name)",
                            "Same as `" + tool.name() + "`, kept under this name for compatibility; prefer `"
                                    + tool.name() + "`. " + tool.description()));
                }
            }
        }
        return new ToolCatalog(out);
    }

    private static ToolDefinition buildTool(JsonNode op, SchemaResolver resolver, McpSettings settings) {
        JsonNode mcp = op.get("x-mcp");
        JsonNode wording = mcp.path("arguments");
        ObjectNode properties = F.objectNode();
        ArrayNode required = F.arrayNode();
        List<ToolDefinition.Binding> bindings = new ArrayList<>();

        for (JsonNode p : op.path("parameters")) {
            JsonNode param = p.has("$ref") ? resolver.lookup(p.get("$ref").asText()) : p;
            if (param == null) {
                continue;
            }
            String wire = param.path("name").asText();
            String arg = snake(wire);
            ObjectNode schema = resolver.resolve(param.path("schema"), true);
            String defaultValue = switch (arg) {
                case "account_id" -> settings.defaultAccountId();
                case "workspace_id" -> settings.defaultWorkspaceId();
                default -> null;
            };
            String text = wording.path(arg).asText(param.path("description").asText(schema.path("title").asText(arg)));
            schema.put("description", withDefault(arg, text, defaultValue));
            schema.remove("title");
            properties.set(arg, schema);
            if (param.path("required").asBoolean(false) && defaultValue == null) {
                required.add(arg);
            }
            bindings.add(new ToolDefinition.Binding(arg, ToolDefinition.Target.HEADER, wire, defaultValue));
        }

        JsonNode body = op.path("requestBody");
        JsonNode bodySchemaRaw = body.path("content").path("application/json").path("schema");
        boolean bodyRequired = body.path("required").asBoolean(false);
        if (!bodySchemaRaw.isMissingNode()) {
            ObjectNode bodySchema = nonNull(resolver.resolve(bodySchemaRaw, true));
            if ("object".equals(bodySchema.path("type").asText()) && bodySchema.has("properties")) {
                Set<String> bodyRequiredFields = new HashSet<>();
                bodySchema.path("required").forEach(r -> bodyRequiredFields.add(r.asText()));
                bodySchema.get("properties").fields().forEachRemaining(f -> {
                    String arg = properties.has(f.getKey()) ? "body_" + f.getKey() : f.getKey();
                    ObjectNode s = (ObjectNode) f.getValue();
                    String text = wording.path(arg).asText(s.path("description").asText(s.path("title").asText("")));
                    if (!text.isEmpty()) {
                        s.put("description", text);
                    }
                    s.remove("title");
                    properties.set(arg, s);
                    if (bodyRequired && bodyRequiredFields.contains(f.getKey())) {
                        required.add(arg);
                    }
                    bindings.add(new ToolDefinition.Binding(arg, ToolDefinition.Target.BODY_FIELD, f.getKey(), null));
                });
            } else {
                String arg = mcp.path("bodyArgument").asText("body");
                bodySchema.remove("title");
                bodySchema.put("description", wording.path(arg).asText(body.path("description").asText(
                        bodySchema.path("description").asText("The request body."))));
                properties.set(arg, bodySchema);
                if (bodyRequired) {
                    required.add(arg);
                }
                bindings.add(new ToolDefinition.Binding(arg, ToolDefinition.Target.BODY, null, null));
            }
        }

        ObjectNode input = F.objectNode();
        input.put("type", "object");
        input.set("properties", properties);
        if (!required.isEmpty()) {
            input.set("required", required);
        }
        input.put("additionalProperties", false);

        // output: the success answer's JSON schema, wrapped in an object when it is a list
        JsonNode ok = successSchema(op);
        ObjectNode output = null;
        String wrapKey = mcp.hasNonNull("wrap") ? mcp.get("wrap").asText() : null;
        String pageLink = mcp.path("page").hasNonNull("link") ? mcp.path("page").get("link").asText() : null;
        String pageTool = mcp.path("page").hasNonNull("tool") ? mcp.path("page").get("tool").asText() : null;
        boolean notModified = op.path("responses").has("304");
        ObjectNode answer = ok == null ? null : resolver.resolve(ok, false);
        if (answer != null && (answer.isEmpty() || (answer.size() == 1 && answer.has("description")))) {
            answer = null; // any JSON: no output schema, the answer goes to the agent as text
        }
        if (answer != null) {
            ObjectNode schema = answer;
            if (!"object".equals(schema.path("type").asText())) {
                if (wrapKey == null) {
                    throw new IllegalStateException("Operation " + op.path("operationId").asText()
                            + " answers something other than an object but its x-mcp names no wrap property");
                }
                schema.remove("title");
                schema.put("description", "The " + wrapKey + " Prefect returned (the list is wrapped in an object).");
                output = F.objectNode();
                output.put("type", "object");
                output.putObject("properties").set(wrapKey, schema);
                if (!notModified) {
                    output.putArray("required").add(wrapKey);
                }
            } else {
                output = schema;
                wrapKey = null;
            }
            if (notModified) {
                props(output).putObject("not_modified")
                        .put("type", "boolean")
                        .put("description", "true when if_none_match still matches: nothing changed and nothing"
                                + " else is returned");
            }
            if (pageLink != null) {
                props(output).putObject("next_page_token")
                        .put("description", "Pass as page_token to `" + pageTool + "` for the next page; null on the"
                                + " last page")
                        .putArray("type").add("string").add("null");
            }
        }

        String description = describe(mcp, properties, settings);
        return new ToolDefinition(mcp.path("tool").asText(), mcp.path("title").asText(op.path("summary").asText()),
                description, op.path("operationId").asText(), mcp.path("toolset").asText("default"),
                mcp.path("readOnlyHint").asBoolean(false), mcp.path("destructiveHint").asBoolean(false),
                mcp.path("idempotentHint").asBoolean(false), mcp.path("openWorldHint").asBoolean(true),
                input, output, List.copyOf(bindings), wrapKey, pageLink, pageTool,
                mcp.path("confirmation").asText(null), mcp.path("secrets").asBoolean(false), bodyRequired);
    }

    /** An optional body ({@code anyOf: [X, {type: null}]}) is X: leaving the body out says "null". */
    private static ObjectNode nonNull(ObjectNode schema) {
        JsonNode options = schema.get("anyOf");
        if (options != null && options.size() == 2) {
            for (int i = 0; i < 2; i++) {
                if ("null".equals(options.get(i).path("type").asText()) && options.get(1 - i) instanceof ObjectNode o) {
                    return o;
                }
            }
        }
        return schema;
    }

    /** The JSON schema of the operation's first 2xx answer that has one, or null. */
    private static JsonNode successSchema(JsonNode op) {
        Iterator<Map.Entry<String, JsonNode>> responses = op.path("responses").fields();
        while (responses.hasNext()) {
            Map.Entry<String, JsonNode> r = responses.next();
            JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
            if (r.getKey().startsWith("2") && !schema.isMissingNode()) {
                return schema;
            }
        }
        return null;
    }

    private static ObjectNode props(ObjectNode schema) {
        JsonNode p = schema.get("properties");
        return p instanceof ObjectNode o ? o : schema.putObject("properties");
    }

    static String snake(String name) {
        return name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_")
                .toLowerCase(Locale.ROOT).replaceAll("^_+|_+$", "");
    }

    /** account_id / workspace_id may have a configured default: the wording says whether this service has one. */
    private static String withDefault(String arg, String text, String defaultValue) {
        if (defaultValue != null) {
            return text + " Optional here: this service is configured with a default (" + defaultValue + ").";
        }
        if (arg.equals("account_id") || arg.equals("workspace_id")) {
            return text + " Required unless the service is configured with a default (prefect."
                    + (arg.equals("account_id") ? "account-id" : "workspace-id") + ").";
        }
        return text;
    }

    private static String describe(JsonNode mcp, ObjectNode properties, McpSettings settings) {
        StringBuilder d = new StringBuilder(mcp.path("description").asText("").strip());
        boolean ids = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            ids |= "uuid".equals(it.next().getValue().path("format").asText());
        }
        if (ids) {
            d.append("\n\nIds are UUIDs such as ").append(UUID_EXAMPLE).append('.');
        }
        if (properties.has("account_id") && settings.defaultAccountId() != null
                && (!properties.has("workspace_id") || settings.defaultWorkspaceId() != null)) {
            d.append(" account_id").append(properties.has("workspace_id") ? " and workspace_id" : "")
                    .append(" may be omitted: the service has defaults.");
        }
        return d.toString();
    }
}
