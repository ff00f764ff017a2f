package io.prefectcamel.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** A Camel context with the stand-in routes and the MCP server on a free loopback port. */
class McpHarness implements AutoCloseable {

    final CamelContext context;
    final StandInRoutes standIns = new StandInRoutes();
    final McpServerService service;

    McpHarness(Map<String, String> properties) throws Exception {
        context = new DefaultCamelContext();
        Properties props = new Properties();
        props.put("mcp.port", "0");
        props.put("mcp.host", "127.0.0.1");
        // callers are authenticated only where a test asks for it
        props.put("facade.auth.mode", "none");
        props.putAll(properties);
        context.getPropertiesComponent().setInitialProperties(props);
        context.addRoutes(standIns.routes());
        context.addRoutes(new McpRoutes());
        beforeStart();
        context.start();
        service = context.hasService(McpServerService.class);
    }

    /** Hook for tests that bind beans before the context starts. */
    void beforeStart() {
    }

    int port() {
        return service.getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/mcp";
    }

    McpSyncClient client() {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + port()).endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        return client;
    }

    @Override
    public void close() {
        context.stop();
    }
}
