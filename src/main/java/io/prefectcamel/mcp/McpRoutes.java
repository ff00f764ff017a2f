package io.prefectcamel.mcp;

import org.apache.camel.builder.RouteBuilder;

/**
 * Starts the MCP server with the Camel context. application.properties names this class in
 * {@code camel.main.routes-builder-classes}, so the service's main class, {@code camel run} and Camel K all load it
 * from the same file. It defines no route of its own: it adds {@link McpServerService} to the context, which then
 * starts and stops with it ({@code mcp.enabled=false} leaves it idle). Added twice, it still adds one server.
 */
public class McpRoutes extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        if (getContext().hasService(McpServerService.class) == null) {
            getContext().addService(new McpServerService(), true, true);
        }
    }
}
