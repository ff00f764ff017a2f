package io.prefectcamel.search;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One searchable operation, read from the facade's OpenAPI document (derived from the operation catalog): what a
 * result shows and the text the index is built from.
 *
 * @param operationId   the facade's operationId
 * @param tool          the MCP tool name
 * @param aliases       further MCP names of the same tool
 * @param toolset       the MCP toolset (mcp.toolsets)
 * @param method        the facade's HTTP method
 * @param path          the facade's path template
 * @param prefectMethod Prefect's HTTP method, as in Prefect's document
 * @param prefectPath   Prefect's path template, exactly as in Prefect's document
 * @param summary       the facade's summary
 * @param readOnly      readOnlyHint
 * @param prefectSummary Prefect's own summary of the operation
 * @param description   the REST reader's description
 * @param agentText     the MCP agent's description
 * @param tag           the OpenAPI tag and its description
 * @param arguments     argument and parameter names, words separated by spaces
 */
public record OperationEntry(
        String operationId,
        String tool,
        List<String> aliases,
        String toolset,
        String method,
        String path,
        String prefectMethod,
        String prefectPath,
        String summary,
        boolean readOnly,
        String prefectSummary,
        String description,
        String agentText,
        String tag,
        String arguments) {

    /** True when {@code name} is this operation's tool name, one of its aliases or its operationId. */
    public boolean isNamed(String name) {
        return tool.equals(name) || operationId.equals(name) || aliases.contains(name);
    }

    /** Every operation of the document that has an MCP tool (x-mcp), in document order. */
    public static List<OperationEntry> fromDocument(JsonNode document) {
        Map<String, String> tags = new java.util.HashMap<>();
        for (JsonNode t : document.path("tags")) {
            tags.put(t.path("name").asText(), t.path("description").asText(""));
        }
        List<OperationEntry> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> m = ops.next();
                JsonNode op = m.getValue();
                JsonNode mcp = op.path("x-mcp");
                if (!mcp.has("tool")) {
                    continue;
                }
                JsonNode prefect = op.path("x-prefect-operation");
                List<String> aliases = new ArrayList<>();
                mcp.path("aliases").forEach(a -> aliases.add(a.asText()));
                String tag = op.path("tags").path(0).asText("");
                out.add(new OperationEntry(op.path("operationId").asText(), mcp.path("tool").asText(),
                        List.copyOf(aliases), mcp.path("toolset").asText(""), m.getKey().toUpperCase(),
                        path.getKey(), prefect.path("method").asText(null), prefect.path("path").asText(null),
                        op.path("summary").asText(""), mcp.path("readOnlyHint").asBoolean(false),
                        prefect.path("summary").asText(""), op.path("description").asText(""),
                        mcp.path("description").asText(""), tag.replace('-', ' ') + " " + tags.getOrDefault(tag, ""),
                        String.join(" ", argumentNames(document, op, mcp))));
            }
        }
        return List.copyOf(out);
    }

    private static Set<String> argumentNames(JsonNode document, JsonNode op, JsonNode mcp) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode p : op.path("parameters")) {
            names.add(words(p.path("name").asText()));
        }
        JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
        for (int i = 0; i < 8 && body.has("$ref"); i++) {
            body = document.at(body.get("$ref").asText().substring(1));
        }
        body.path("properties").fieldNames().forEachRemaining(n -> names.add(words(n)));
        mcp.path("arguments").fieldNames().forEachRemaining(n -> names.add(words(n)));
        if (mcp.has("bodyArgument")) {
            names.add(words(mcp.get("bodyArgument").asText()));
        }
        names.remove("");
        return names;
    }

    /** {@code account_id}, {@code page-token}, {@code workspaceRoleId} as space-separated words. */
    static String words(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("[^A-Za-z0-9]+", " ").trim().toLowerCase();
    }
}
