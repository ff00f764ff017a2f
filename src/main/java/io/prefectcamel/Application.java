package io.prefectcamel;

import org.apache.camel.main.Main;

/** Runs prefect-camel: the REST facade, the MCP server and the routes in routes/. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Application.class);
        main.configure().withRoutesIncludePattern("classpath:routes/*.camel.yaml");
        new SandboxSwitch(SandboxSwitch::setting).apply(main);
        main.run(args);
    }
}
