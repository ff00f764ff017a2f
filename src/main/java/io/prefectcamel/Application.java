package io.prefectcamel;

import java.util.ArrayList;
import java.util.List;

import io.prefectcamel.auth.TokensCommand;
import org.apache.camel.main.Main;

/**
 * Runs prefect-camel: the REST facade, the MCP server and the routes in routes/. Every setting is a Camel property
 * (application.properties, environment variables through its {@code {{env:...}}} defaults, {@code -Dname=value},
 * or {@code --prop=name=value} on the command line, as with {@code camel run}).
 */
public final class Application {

    public static final String ROUTES = "classpath:routes/*.camel.yaml";
    static final String PROP = "--prop";

    private Application() {
    }

    /**
     * The service's Camel Main: the YAML routes, named explicitly (no package scan, so nothing else on the classpath
     * is picked up as a route). The MCP server comes from application.properties
     * ({@code camel.main.routes-builder-classes}), as it does under {@code camel run} and Camel K.
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(ROUTES);
        return main;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("tokens")) {
            System.exit(TokensCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        Main main = newMain();
        main.addMainListener(new PortCheck());
        SandboxSwitch sandbox = new SandboxSwitch();
        main.addMainListener(sandbox);
        try {
            main.run(takeProperties(args, main));
        } catch (Exception e) {
            sandbox.afterStop(main);
            System.err.println("prefect-camel did not start: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Turns {@code --prop=name=value} and {@code --prop name=value} into override properties of {@code main} and
     * returns the other arguments, for Camel Main's own options.
     */
    static String[] takeProperties(String[] args, Main main) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String property = null;
            if (args[i].startsWith(PROP + "=")) {
                property = args[i].substring(PROP.length() + 1);
            } else if (args[i].equals(PROP) && i + 1 < args.length) {
                property = args[++i];
            }
            if (property == null) {
                rest.add(args[i]);
                continue;
            }
            int eq = property.indexOf('=');
            if (eq <= 0) {
                // the value is not echoed: it may be a key
                throw new IllegalArgumentException(PROP + " takes name=value; argument " + (i + 1) + " has no name=");
            }
            main.addOverrideProperty(property.substring(0, eq).trim(), property.substring(eq + 1));
        }
        return rest.toArray(String[]::new);
    }
}
