package io.prefectcamel.mcp;

import org.apache.camel.main.Main;

/**
 * A minimal Camel Main for the MCP conformance suite (conformance/run.sh): the stand-in operation routes,
 * the MCP server and the conformance fixture tools, with {@code mcp.test-fixtures=true}. Test classpath only.
 * Port: system property {@code mcp.port} (default 9190); the service's application.properties is read as usual.
 */
public final class ConformanceServer {

    private ConformanceServer() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new StandInRoutes().routes());
        main.configure().addRoutesBuilder(new McpRoutes());
        main.bind("conformanceFixtures", new ConformanceFixtures());
        main.addOverrideProperty("mcp.test-fixtures", "true");
        main.addOverrideProperty("mcp.enabled", "true");
        main.addOverrideProperty("mcp.host", System.getProperty("mcp.host", "127.0.0.1"));
        main.addOverrideProperty("mcp.port", System.getProperty("mcp.port", "9190"));
        main.addOverrideProperty("camel.main.name", "prefect-camel-conformance");
        main.run(args);
    }
}
