package io.prefectcamel.mcp;

import java.util.Map;

import io.prefectcamel.Application;
import io.prefectcamel.SandboxSwitch;
import io.prefectcamel.testing.FreePort;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The real service for the MCP conformance suite (conformance/run.sh): configured like {@link Application}
 * (application.properties, every {@code classpath:routes/*.camel.yaml}, the MCP server application.properties names)
 * on the embedded Prefect sandbox with its demo data, plus the suite's fixture tools ({@link ConformanceFixtures},
 * {@code mcp.test-fixtures=true}). Test classpath only.
 *
 * <p>System properties: {@code mcp.port} (default 9190), {@code mcp.host} (default 127.0.0.1) and
 * {@code camel.server.port} for the REST facade (default: a free port). Whatever PREFECT_* variables the
 * environment holds, the sandbox is used, with a key of its own: a real Prefect is never called.
 */
public final class ConformanceServer {

    /** The key the sandbox demands and the service sends; fake. */
    static final String SANDBOX_KEY = "pnu_conformance_sandbox_key_0000000000";

    private ConformanceServer() {
    }

    public static void main(String[] args) throws Exception {
        Main main = Application.newMain();

        Map<String, String> settings = Map.of(SandboxSwitch.SANDBOX, "true", SandboxSwitch.API_KEY, SANDBOX_KEY);
        SandboxSwitch sandbox = new SandboxSwitch(settings::get);
        sandbox.apply(main);
        main.addOverrideProperty("prefect.api-url", sandbox.sandbox().baseUrl());
        main.addOverrideProperty("prefect.api-key", SANDBOX_KEY);
        // Camel lets an environment variable spelled like a property (PREFECT_API_URL, PREFECT_API_KEY) win over
        // override properties: look at the environment only for what nothing else sets
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport support) {
                ((PropertiesComponent) support.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
            }
        });
        // the conformance suite's client sends no credentials
        main.addOverrideProperty("facade.auth.mode", "none");

        String restPort = System.getProperty("camel.server.port", Integer.toString(FreePort.next()));
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", restPort);
        // Camel 4.17 does not start with a non-default server port and a different management port
        main.addOverrideProperty("camel.management.port", restPort);

        main.bind("conformanceFixtures", new ConformanceFixtures());
        main.addOverrideProperty("mcp.test-fixtures", "true");
        main.addOverrideProperty("mcp.enabled", "true");
        main.addOverrideProperty("mcp.read-only", "false");
        main.addOverrideProperty("mcp.host", System.getProperty("mcp.host", "127.0.0.1"));
        main.addOverrideProperty("mcp.port", System.getProperty("mcp.port", "9190"));
        main.addOverrideProperty("camel.main.name", "prefect-camel-conformance");
        System.out.println("REST facade on http://127.0.0.1:" + restPort + ", Prefect sandbox at "
                + sandbox.sandbox().baseUrl());
        main.run(args);
    }
}
