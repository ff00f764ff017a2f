package io.prefectcamel.mcp;

import java.net.ServerSocket;
import io.prefectcamel.testing.OperationCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** mcp.port equal to the REST port: MCP is served at /mcp by the REST server's platform-http router. */
class McpSharedPortTest {

    @Test
    void mcpSharesTheRestServer() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            Properties props = new Properties();
            props.put("camel.server.port", Integer.toString(port));
            props.put("mcp.port", Integer.toString(port));
            context.getPropertiesComponent().setInitialProperties(props);
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(port);
            context.addService(new VertxPlatformHttpServer(conf));
            context.addRoutes(new StandInRoutes().routes());
            // not an anonymous RouteBuilder: Camel Main's package scan would find such a class in the real service
            context.addRoutes(RouteBuilder.loadRoutesBuilder(
                    rb -> rb.from("platform-http:/v1/ping").routeId("ping").setBody(rb.constant("pong"))));
            context.addRoutes(new McpRoutes());
            context.start();

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/ping"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ping.body()).isEqualTo("pong");

            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                    .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build();
            client.initialize();
            assertThat(client.listTools().tools()).extracting(t -> t.name())
                    .containsExactlyInAnyOrderElementsOf(OperationCatalog.defaultListedToolNames());
            client.closeGracefully();
            assertThat(context.hasService(McpServerService.class).getPort()).isEqualTo(port);
        } finally {
            context.stop();
        }
    }
}
