package io.prefectcamel.mcp;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One MCP tool derived from one facade operation.
 *
 * @param name           the tool name (x-mcp.tool or an alias)
 * @param title          a human title
 * @param description    the text an agent reads to decide how to call the tool
 * @param operationId    the facade operation, called as {@code direct:<operationId>}
 * @param toolset        the x-mcp toolset the tool belongs to
 * @param readOnly       readOnlyHint
 * @param destructive    destructiveHint
 * @param idempotent     idempotentHint
 * @param openWorld      openWorldHint
 * @param inputSchema    the flattened, fully resolved input schema
 * @param outputSchema   the object schema of structuredContent, or null when the operation returns no JSON
 * @param bindings       how each argument travels to the route
 * @param wrapKey        when the operation answers a JSON array: the property that wraps it, else null
 * @param pageLink       when the answer links to its next page: the property holding the link (a next_page_token
 *                       taken from it is added to the result), else null
 * @param pageToolName   for paged reads: the tool that reads the following pages
 * @param confirmation   what the agent is told when Prefect answers without a body ({arg}: an argument's value,
 *                       {#arg}: the size of a list argument), or null
 * @param secrets        true when the answer holds a secret
 * @param bodyRequired   true when the operation needs a body even when no argument goes into it ({} then)
 */
record ToolDefinition(
        String name,
        String title,
        String description,
        String operationId,
        String toolset,
        boolean readOnly,
        boolean destructive,
        boolean idempotent,
        boolean openWorld,
        ObjectNode inputSchema,
        ObjectNode outputSchema,
        List<Binding> bindings,
        String wrapKey,
        String pageLink,
        String pageToolName,
        String confirmation,
        boolean secrets,
        boolean bodyRequired) {

    /** Where an argument goes: a header named as the OpenAPI parameter, a body field, or the whole body. */
    enum Target { HEADER, BODY_FIELD, BODY }

    /**
     * @param argument the tool argument (snake_case)
     * @param target   where it goes
     * @param wireName the OpenAPI parameter name (header) or the body property name
     * @param defaultedFrom for account_id/workspace_id: the configured default, else null
     */
    record Binding(String argument, Target target, String wireName, String defaultedFrom) {
    }

    ToolDefinition withName(String newName, String newTitle, String newDescription) {
        return new ToolDefinition(newName, newTitle, newDescription, operationId, toolset, readOnly, destructive,
                idempotent, openWorld, inputSchema, outputSchema, bindings, wrapKey, pageLink, pageToolName, confirmation,
                secrets, bodyRequired);
    }
}
