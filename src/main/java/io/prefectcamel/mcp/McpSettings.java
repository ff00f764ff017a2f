package io.prefectcamel.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;

/**
 * The MCP server's settings, read from Camel properties only (application.properties and the environment variables
 * its {@code {{env:...}}} defaults name, system properties, override properties). See the {@code ## MCP} section of
 * application.properties for each key; the default ids are {@code prefect.account-id} / {@code prefect.workspace-id}.
 */
public record McpSettings(
        boolean enabled,
        String host,
        int port,
        String path,
        int restPort,
        Set<String> toolsets,
        boolean readOnly,
        List<String> allowedOrigins,
        List<String> allowedHosts,
        String defaultAccountId,
        String defaultWorkspaceId,
        boolean testFixtures,
        int toolsPageSize,
        int maxSessions,
        Duration sessionIdleTimeout,
        long maxRequestBytes,
        int maxResultChars,
        Duration callTimeout,
        String openApiLocation,
        String toolMode,
        Duration connectionIdleTimeout,
        Duration sessionMaxAge) {

    public static final String DEFAULT_OPENAPI = "classpath:openapi/prefect-camel-openapi.yaml";
    /** mcp.tool-mode: every operation's own tool plus search-operations ({@code all}), or only the discovery tools. */
    public static final String TOOL_MODE_ALL = "all";
    public static final String TOOL_MODE_DYNAMIC = "dynamic";

    /** True when tools/list offers only search-operations, describe-operation and call-operation. */
    public boolean dynamicTools() {
        return TOOL_MODE_DYNAMIC.equals(toolMode);
    }

    /** True when MCP shares the REST server's port (served by platform-http's router at {@link #path()}). */
    public boolean sharesRestPort() {
        return port == restPort && port > 0;
    }

    public static McpSettings from(CamelContext context) {
        Props p = new Props(context);
        int restPort = p.integer("camel.server.port", 8080);
        List<String> origins = new ArrayList<>(List.of(
                "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*",
                "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*"));
        origins.addAll(p.list("mcp.allowed-origins"));
        List<String> hosts = new ArrayList<>(List.of("localhost:*", "127.0.0.1:*", "[::1]:*"));
        hosts.addAll(p.list("mcp.allowed-hosts"));
        return new McpSettings(
                p.bool("mcp.enabled", true),
                p.string("mcp.host", "127.0.0.1"),
                p.integer("mcp.port", 9090),
                normalisePath(p.string("mcp.path", "/mcp")),
                restPort,
                new LinkedHashSet<>(p.list("mcp.toolsets").isEmpty() ? List.of("events") : p.list("mcp.toolsets")),
                p.bool("mcp.read-only", false),
                List.copyOf(origins),
                List.copyOf(hosts),
                blankToNull(p.string("prefect.account-id", null)),
                blankToNull(p.string("prefect.workspace-id", null)),
                p.bool("mcp.test-fixtures", false),
                Math.max(1, p.integer("mcp.tools-page-size", 50)),
                Math.max(1, p.integer("mcp.max-sessions", 1000)),
                Duration.ofSeconds(Math.max(1, p.integer("mcp.session-idle-timeout-seconds", 1800))),
                Math.max(1024, p.integer("mcp.max-request-bytes", 6 * 1024 * 1024)),
                Math.max(1024, p.integer("mcp.max-result-chars", 1_000_000)),
                Duration.ofSeconds(Math.max(1, p.integer("mcp.call-timeout-seconds", 120))),
                p.string("mcp.openapi-location", DEFAULT_OPENAPI),
                toolMode(p.string("mcp.tool-mode", TOOL_MODE_ALL)),
                Duration.ofSeconds(Math.max(0, p.integer("mcp.connection-idle-timeout-seconds", 120))),
                Duration.ofSeconds(Math.max(0, p.integer("mcp.session-max-age-seconds", 86_400))));
    }

    private static String toolMode(String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        if (!v.equals(TOOL_MODE_ALL) && !v.equals(TOOL_MODE_DYNAMIC)) {
            throw new IllegalArgumentException("Property mcp.tool-mode must be all or dynamic, got: " + value);
        }
        return v;
    }

    private static String normalisePath(String path) {
        String p = path.isBlank() ? "/mcp" : path.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Reads optional properties; a missing key gives the default. */
    private record Props(CamelContext context) {
        String string(String key, String def) {
            return context.getPropertiesComponent().resolveProperty(key)
                    .map(String::trim)
                    .filter(v -> !v.isEmpty())
                    .orElse(def);
        }

        boolean bool(String key, boolean def) {
            return Boolean.parseBoolean(string(key, Boolean.toString(def)));
        }

        int integer(String key, int def) {
            String v = string(key, null);
            if (v == null) {
                return def;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Property " + key + " must be a whole number, got: " + v);
            }
        }

        List<String> list(String key) {
            String v = string(key, "");
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}
