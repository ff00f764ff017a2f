package io.prefectcamel.mcp;

import org.apache.camel.builder.RouteBuilder;

/**
 * Starts the MCP server with the Camel context. Camel Main finds this class by scanning the main class's
 * package ({@code io.prefectcamel}); it defines no route of its own, it adds {@link McpServerService} to the
 * context, which then starts and stops with it ({@code mcp.enabled=false} leaves it idle).
 */
public class McpRoutes extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        if (getContext().hasService(McpServerService.class) == null) {
            getContext().addService(new McpServerService(), true, true);
        }
    }
}
