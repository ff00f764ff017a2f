package io.prefectcamel.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * Builds the MCP tool list from the facade's OpenAPI document: each operation's {@code x-mcp} gives the tool
 * name, aliases, title, toolset and hints; parameters and body are flattened into one snake_case input schema;
 * the 200 answer becomes the output schema (arrays wrapped in an object).
 */
final class ToolCatalog {

    static final String EVENT_PAGE = "#/components/schemas/EventPage";
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

    static JsonNode readDocument(InputStream in) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(in);
    }

    /**
     * @param document the OpenAPI document
     * @param settings which toolsets, read-only mode and the default account/workspace
     */
    static ToolCatalog build(JsonNode document, McpSettings settings) {
        SchemaResolver resolver = new SchemaResolver(document);
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        Map<String, String> toolByOperation = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(m -> {
                JsonNode op = m.getValue();
                if (METHODS.contains(m.getKey()) && op.has("x-mcp") && op.has("operationId")) {
                    operations.put(op.get("operationId").asText(), op);
                    toolByOperation.put(op.get("operationId").asText(), op.get("x-mcp").path("tool").asText());
                }
            });
        }
        List<ToolDefinition> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : operations.entrySet()) {
            String operationId = e.getKey();
            JsonNode op = e.getValue();
            JsonNode mcp = op.get("x-mcp");
            String toolset = mcp.path("toolset").asText("default");
            boolean readOnly = mcp.path("readOnlyHint").asBoolean(false);
            if (!settings.toolsets().contains(toolset) && !settings.toolsets().contains("all")) {
                continue;
            }
            if (settings.readOnly() && !readOnly) {
                continue;
            }
            String pageTool = toolByOperation.get(operationId + "Page");
            String firstTool = operationId.endsWith("Page")
                    ? toolByOperation.get(operationId.substring(0, operationId.length() - 4)) : null;
            ToolDefinition tool = buildTool(op, operationId, resolver, settings, pageTool, firstTool);
            out.add(tool);
            for (JsonNode alias : mcp.path("aliases")) {
                String a = alias.asText();
                out.add(tool.withName(a, tool.title() + " (compatibility name)",
                        "Same as `" + tool.name() + "`, kept under this name for compatibility; prefer `"
                                + tool.name() + "`. " + tool.description()));
            }
        }
        return new ToolCatalog(out);
    }

    private static ToolDefinition buildTool(JsonNode op, String operationId, SchemaResolver resolver,
            McpSettings settings, String pageTool, String firstTool) {
        JsonNode mcp = op.get("x-mcp");
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
            schema.put("description", argumentDescription(arg, param.path("description").asText(""), defaultValue));
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
        boolean bodyFields = false;
        if (!bodySchemaRaw.isMissingNode()) {
            ObjectNode bodySchema = resolver.resolve(bodySchemaRaw, true);
            if ("object".equals(bodySchema.path("type").asText()) && bodySchema.has("properties")) {
                bodyFields = true;
                Set<String> bodyRequiredFields = new java.util.HashSet<>();
                bodySchema.path("required").forEach(r -> bodyRequiredFields.add(r.asText()));
                bodySchema.get("properties").fields().forEachRemaining(f -> {
                    String arg = properties.has(f.getKey()) ? "body_" + f.getKey() : f.getKey();
                    ObjectNode s = (ObjectNode) f.getValue();
                    if (!s.has("description") && s.has("title")) {
                        s.put("description", s.get("title").asText());
                    }
                    s.remove("title");
                    if (arg.equals("filter")) {
                        s.put("description", FILTER_DESCRIPTION);
                    }
                    properties.set(arg, s);
                    if (bodyRequired && bodyRequiredFields.contains(f.getKey())) {
                        required.add(arg);
                    }
                    bindings.add(new ToolDefinition.Binding(arg, ToolDefinition.Target.BODY_FIELD, f.getKey(), null));
                });
            } else {
                String arg = "array".equals(bodySchema.path("type").asText())
                        ? snake(bodySchema.path("title").asText("items")) : "body";
                bodySchema.remove("title");
                bodySchema.put("description", body.path("description").asText(
                        bodySchema.path("description").asText("The request body.")));
                if ("events".equals(arg)) {
                    bodySchema.put("description", EVENTS_DESCRIPTION);
                }
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

        // output: the 200 answer's JSON schema, wrapped in an object when it is an array
        JsonNode ok = op.path("responses").path("200").path("content").path("application/json").path("schema");
        ObjectNode output = null;
        String wrapKey = null;
        boolean eventPage = false;
        boolean notModified = op.path("responses").has("304");
        if (!ok.isMissingNode()) {
            eventPage = EVENT_PAGE.equals(ok.path("$ref").asText());
            ObjectNode schema = resolver.resolve(ok, false);
            if ("array".equals(schema.path("type").asText())) {
                wrapKey = wrapKeyFor(ok);
                schema.remove("title");
                schema.put("description", "The " + wrapKey + " Prefect returned (the list is wrapped in an object).");
                output = F.objectNode();
                output.put("type", "object");
                ObjectNode props = output.putObject("properties");
                props.set(wrapKey, schema);
                if (!notModified) {
                    output.putArray("required").add(wrapKey);
                }
            } else {
                output = schema;
            }
            if (notModified) {
                props(output).putObject("not_modified")
                        .put("type", "boolean")
                        .put("description", "true when if_none_match still matches: nothing changed, no "
                                + wrapKey + " are returned");
            }
            if (eventPage) {
                props(output).putObject("next_page_token")
                        .put("description", "Pass as page_token to `" + (pageTool != null ? pageTool : "the page tool")
                                + "` for the next page; null on the last page")
                        .putArray("type").add("string").add("null");
            }
        }

        String description = describe(op, operationId, mcp, properties, settings, wrapKey, eventPage, pageTool, firstTool,
                notModified);
        return new ToolDefinition(mcp.path("tool").asText(), mcp.path("title").asText(op.path("summary").asText()),
                description, operationId, mcp.path("toolset").asText("default"),
                mcp.path("readOnlyHint").asBoolean(false), mcp.path("destructiveHint").asBoolean(false),
                mcp.path("idempotentHint").asBoolean(false), mcp.path("openWorldHint").asBoolean(true),
                input, output, List.copyOf(bindings), wrapKey, eventPage, pageTool);
    }

    private static ObjectNode props(ObjectNode schema) {
        JsonNode p = schema.get("properties");
        return p instanceof ObjectNode o ? o : schema.putObject("properties");
    }

    private static String wrapKeyFor(JsonNode arraySchema) {
        String ref = arraySchema.path("items").path("$ref").asText("");
        if (ref.endsWith("/EventCount")) {
            return "counts";
        }
        if (ref.endsWith("Event")) {
            return "events";
        }
        if (ref.endsWith("/Tag")) {
            return "tags";
        }
        return "items";
    }

    static String snake(String name) {
        return name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_")
                .toLowerCase(Locale.ROOT).replaceAll("^_+|_+$", "");
    }

    private static final String FILTER_DESCRIPTION = "Narrows the events (all parts optional). `occurred` {since, until}"
            + " (ISO 8601 date-times) sets the time window: without it Prefect reads only the last hour, and one query"
            + " spans at most 14 days. `event` {prefix, name, exclude_prefix, exclude_name} matches event names, e.g."
            + " {\"prefix\": [\"prefect.flow-run.\"]}. `resource` {id, id_prefix, labels} matches the primary"
            + " resource, e.g. {\"id\": [\"prefect.flow-run.<uuid>\"]}. `related` and `any_resource` match related"
            + " resources; `text` {query} searches event content; `order` is ASC or DESC (default, newest first).";

    private static final String EVENTS_DESCRIPTION = "The events to record (at least one; at most 5 MiB of JSON in"
            + " all). Each needs `id` (a new UUID you generate), `occurred` (ISO 8601 date-time, e.g."
            + " 2025-06-01T12:00:00Z), `event` (a dotted name such as \"my-app.order.shipped\", at most 1024"
            + " characters) and `resource` (an object of string labels with at least \"prefect.resource.id\", e.g."
            + " {\"prefect.resource.id\": \"my-app.order.42\"}). Optional: `related` (list of resources with"
            + " \"prefect.resource.role\"), `payload` (any JSON object), `follows` (the id of an earlier event).";

    private static String argumentDescription(String arg, String openApiText, String defaultValue) {
        String text = switch (arg) {
            case "account_id" -> "The Prefect account's id, a UUID such as " + UUID_EXAMPLE
                    + " (it appears in Prefect Cloud URLs after /account/).";
            case "workspace_id" -> "The Prefect workspace's id, a UUID (it appears in Prefect Cloud URLs after"
                    + " /workspace/).";
            case "flow_run_id" -> "The flow run's id, a UUID.";
            case "page_token" -> "The next_page_token from the previous page's result, passed exactly as received.";
            case "countable" -> "What to group the counts by: day, time (buckets of time_interval time_units), event"
                    + " (event name), resource, workspace or actor.";
            case "offset" -> "How many events to skip before the first one returned (0..5000, default 0).";
            case "order" -> "ASC (oldest first) or DESC (newest first, the default).";
            case "with_task_runs" -> "Also return the events of the flow run's task runs (default true).";
            case "if_none_match" -> "The event count you already have; when the flow run still has that many events"
                    + " the result is {\"not_modified\": true} and no events.";
            case "limit" -> openApiText.startsWith("Defaults to") ? "How many to return (1..200); Prefect's default"
                    + " page size when omitted." : openApiText;
            default -> openApiText;
        };
        if (defaultValue != null) {
            text += " Optional here: this service is configured with a default (" + defaultValue + ").";
        } else if (arg.equals("account_id") || arg.equals("workspace_id")) {
            text += " Required unless the service is configured with a default (prefect."
                    + (arg.equals("account_id") ? "account-id" : "workspace-id") + ").";
        }
        return text;
    }

    private static String describe(JsonNode op, String operationId, JsonNode mcp, ObjectNode properties,
            McpSettings settings, String wrapKey, boolean eventPage, String pageTool, String firstTool,
            boolean notModified) {
        StringBuilder d = new StringBuilder();
        String summary = op.path("summary").asText(mcp.path("title").asText());
        String openApi = op.path("description").asText("")
                .replace("`page-token`", "`page_token`")
                .replace("`If-None-Match`", "`if_none_match`")
                .replace("Prefect answers 204 with no body.", "Returns a short confirmation (Prefect answers 204).")
                .replace("The body is a JSON array of events; each needs", "Pass them in `events`; each needs")
                .replace("With `if_none_match` set to the current event count, Prefect answers 304 Not Modified and no body.",
                        "");
        boolean scopeAccount = operationId.toLowerCase(Locale.ROOT).contains("account");
        String scope = scopeAccount ? "account" : "workspace";
        if (eventPage && firstTool == null) {
            d.append(summary).append(": returns one page of the ").append(scope)
                    .append("'s events that match `filter`, newest first by default. Set `limit` (0..200, default 50) for")
                    .append(" the page size.\n\nResult: `events` (this page), `total` (all matches) and `next_page_token`.")
                    .append(" When `next_page_token` is not null, call `").append(pageTool)
                    .append("` with it as `page_token` (same account_id").append(scopeAccount ? "" : "/workspace_id")
                    .append(") for the next page; stop when it is null.\n\n")
                    .append("Narrow with `filter`, e.g. {\"occurred\": {\"since\": \"2025-06-01T00:00:00Z\", \"until\":")
                    .append(" \"2025-06-02T00:00:00Z\"}, \"event\": {\"prefix\": [\"prefect.flow-run.\"]}}. Without")
                    .append(" `filter.occurred` Prefect reads only the last hour; one query spans at most 14 days.");
        } else if (eventPage) {
            d.append(summary).append(": returns the page after the one that gave you `next_page_token`.")
                    .append(" Use it after `").append(firstTool).append("` (or after this tool): pass that")
                    .append(" `next_page_token` as `page_token`, with the same account_id")
                    .append(scopeAccount ? "" : "/workspace_id").append(". The token is opaque; do not change it.")
                    .append("\n\nResult: `events`, `total` and the next `next_page_token` (null on the last page).");
        } else {
            d.append(openApi.strip());
            if ("counts".equals(wrapKey)) {
                d.append("\n\nResult: {\"counts\": [{value, label, count, start_time, end_time}, ...]} (Prefect's list,")
                        .append(" wrapped in an object). Narrow with `filter` as for reads; without `filter.occurred`")
                        .append(" Prefect counts only the last hour. For countable=time set `time_unit` (week, day,")
                        .append(" hour, minute, second) and `time_interval`.");
            } else if ("events".equals(wrapKey)) {
                d.append("\n\nResult: {\"events\": [...]} (Prefect's list, wrapped in an object), at most `limit`")
                        .append(" (1..200) events. For more, call again with `offset` increased by the number")
                        .append(" received, until fewer than `limit` come back.");
                if (notModified) {
                    d.append(" With `if_none_match` set to the event count you already have, the result is")
                            .append(" {\"not_modified\": true} when nothing changed.");
                }
            } else if (operationId.equals("listTags")) {
                d.append("\n\nResult: `results` (tags with name, first_seen, last_seen), `count`, `page`, `pages`,")
                        .append(" `limit`. For more, call again with `page` + 1 while `page` < `pages`.");
            }
        }
        if (properties.has("account_id")) {
            boolean defaults = settings.defaultAccountId() != null
                    && (!properties.has("workspace_id") || settings.defaultWorkspaceId() != null);
            d.append("\n\nIds are UUIDs such as ").append(UUID_EXAMPLE).append('.');
            if (defaults) {
                d.append(" account_id").append(properties.has("workspace_id") ? " and workspace_id" : "")
                        .append(" may be omitted: the service has defaults.");
            }
        }
        if (!mcp.path("readOnlyHint").asBoolean(false) && !mcp.path("idempotentHint").asBoolean(false)) {
            d.append(" Not idempotent: calling again records the events again.");
        }
        return d.toString();
    }
}
