package io.prefectcamel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Refuses to start when a port the service serves on is taken: Vert.x only logs a failed bind, and a service that
 * runs without its REST, MCP or management port helps nobody.
 */
final class PortCheck extends MainListenerSupport {

    @Override
    public void beforeStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Set<String> taken = new LinkedHashSet<>();
        check(context, "camel.server.enabled", "camel.server.host", "camel.server.port", taken);
        check(context, "camel.management.enabled", "camel.management.host", "camel.management.port", taken);
        check(context, "mcp.enabled", "mcp.host", "mcp.port", taken);
        if (!taken.isEmpty()) {
            throw new IllegalStateException("Cannot start: " + String.join(", ", taken)
                    + " already in use (another prefect-camel running?). Stop it or choose other ports.");
        }
    }

    private static void check(CamelContext context, String enabledKey, String hostKey, String portKey, Set<String> taken) {
        String enabled = context.getPropertiesComponent().resolveProperty(enabledKey).orElse("false");
        String port = context.getPropertiesComponent().resolveProperty(portKey).orElse("0");
        if (!Boolean.parseBoolean(enabled.trim()) || port.isBlank() || Integer.parseInt(port.trim()) == 0) {
            return;
        }
        String host = context.getPropertiesComponent().resolveProperty(hostKey).orElse("0.0.0.0").trim();
        int p = Integer.parseInt(port.trim());
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, p));
        } catch (IOException e) {
            taken.add(host + ":" + p + " (" + portKey + ")");
        }
    }
}
