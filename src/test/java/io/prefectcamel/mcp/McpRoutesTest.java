package io.prefectcamel.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The MCP server starts from what application.properties declares, and only once however often it is named. */
class McpRoutesTest {

    @Test
    void theServiceStartsOneMcpServerFromApplicationProperties() {
        try (ServiceUnderTest service = ServiceUnderTest.builder().prefect("http://127.0.0.1:1", TestKey.VALUE).start()) {
            assertThat(service.resolve("camel.main.routes-builder-classes")).isEqualTo(McpRoutes.class.getName());
            var servers = service.camelContext().hasServices(McpServerService.class);
            assertThat(servers).hasSize(1);
            assertThat(servers.iterator().next().getPort()).isPositive();
        }
    }

    @Test
    void namedTwiceItStillAddsOneServer() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties props = new Properties();
            props.put("mcp.port", "0");
            context.getPropertiesComponent().setInitialProperties(props);
            context.addRoutes(new McpRoutes());
            context.addRoutes(new McpRoutes());
            context.start();
            assertThat(context.hasServices(McpServerService.class)).hasSize(1);
            assertThat(context.hasService(McpServerService.class).getPort()).isPositive();
        }
    }
}
