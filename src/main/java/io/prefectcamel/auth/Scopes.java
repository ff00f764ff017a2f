package io.prefectcamel.auth;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The scopes: {@code <toolset>:read} for the read-only operations of a toolset, {@code <toolset>:write} for the
 * others, from the catalog's toolset and read-only hint. The facade's OpenAPI document names each operation's scope
 * in its {@code x-scope} (scripts/derive.py); that is what the service checks.
 */
public final class Scopes {

    public static final List<String> ALL = List.of("events:read", "events:write", "admin:read", "admin:write");
    public static final String SCHEME = "bearer";

    private Scopes() {
    }

    /** The scope an operation of the facade's document needs, or null when the document names none. */
    public static String of(JsonNode operation) {
        if (operation.hasNonNull("x-scope")) {
            return operation.get("x-scope").asText();
        }
        for (JsonNode requirement : operation.path("security")) {
            JsonNode scopes = requirement.path(SCHEME);
            if (scopes.isArray() && scopes.size() > 0) {
                return scopes.get(0).asText();
            }
        }
        JsonNode mcp = operation.path("x-mcp");
        if (mcp.hasNonNull("toolset")) {
            return mcp.path("toolset").asText() + (mcp.path("readOnlyHint").asBoolean(false) ? ":read" : ":write");
        }
        return null;
    }
}
