package io.prefectcamel;

import io.prefectcamel.auth.TokensCommand;
import io.prefectcamel.mcp.McpRoutes;
import org.apache.camel.main.Main;

/** Runs prefect-camel: the REST facade, the MCP server and the routes in routes/. */
public final class Application {

    public static final String ROUTES = "classpath:routes/*.camel.yaml";

    private Application() {
    }

    /**
     * The service's Camel Main: the YAML routes and the MCP server, named explicitly (no package scan, so
     * nothing else on the classpath is picked up as a route).
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(ROUTES);
        main.configure().addRoutesBuilder(new McpRoutes());
        return main;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("tokens")) {
            System.exit(TokensCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        Main main = newMain();
        main.addMainListener(new PortCheck());
        SandboxSwitch sandbox = new SandboxSwitch(SandboxSwitch::setting);
        sandbox.apply(main);
        try {
            main.run(args);
        } catch (Exception e) {
            sandbox.afterStop(main);
            System.err.println("prefect-camel did not start: " + e.getMessage());
            System.exit(1);
        }
    }
}
