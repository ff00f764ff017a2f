package io.prefectcamel.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Host} names the facade builds links on ({@code facade.allowed-hosts}): localhost, 127.0.0.1 and [::1]
 * on any port, the server's own listen address when it names one, and the configured entries ({@code name:port},
 * {@code name:*} for any port, or {@code name} for the name without a port). A request naming another host never
 * gets a link to it.
 */
public final class FacadeHosts {

    public static final List<String> DEFAULTS = List.of("localhost:*", "127.0.0.1:*", "[::1]:*");

    private final List<String[]> allowed = new ArrayList<>();

    /**
     * @param configured the comma-separated {@code facade.allowed-hosts} (may be empty)
     * @param serverHost {@code camel.server.host}; a specific address is allowed on any port
     */
    public FacadeHosts(String configured, String serverHost) {
        List<String> entries = new ArrayList<>(DEFAULTS);
        String listen = serverHost == null ? "" : serverHost.trim();
        if (!listen.isEmpty() && !isWildcard(listen)) {
            entries.add(bracket(listen) + ":*");
        }
        if (configured != null) {
            for (String entry : configured.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        for (String entry : entries) {
            String[] parts = split(entry);
            if (parts != null) {
                allowed.add(parts);
            }
        }
    }

    /** True when links may be built on this {@code Host} header value. */
    public boolean allows(String host) {
        String[] given = host == null ? null : split(host);
        if (given == null || "*".equals(given[1])) {
            return false;
        }
        for (String[] entry : allowed) {
            if (entry[0].equals(given[0]) && (entry[1].equals("*") || entry[1].equals(given[1]))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server's own URL on this machine: {@code camel.server.host} (loopback when it listens on every address)
     * and {@code camel.server.port}.
     */
    public static String loopbackUrl(String serverHost, int port) {
        String host = serverHost == null ? "" : serverHost.trim();
        if (host.isEmpty() || isWildcard(host)) {
            host = "127.0.0.1";
        }
        return "http://" + bracket(host) + ":" + port;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String bracket(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9.\\-]+|\\[[0-9a-f:.]+\\]");
    private static final java.util.regex.Pattern PORT = java.util.regex.Pattern.compile(":[0-9]{1,5}");

    /** {name, port} with the name in lower case and the port "" when absent; null when it is not a host[:port]. */
    private static String[] split(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String name;
        String rest;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                return null;
            }
            name = v.substring(0, end + 1);
            rest = v.substring(end + 1);
        } else {
            int colon = v.indexOf(':');
            name = colon < 0 ? v : v.substring(0, colon);
            rest = colon < 0 ? "" : v.substring(colon);
        }
        if (name.isEmpty() || name.equals("[]") || !NAME.matcher(name).matches()) {
            return null;
        }
        String port;
        if (rest.isEmpty()) {
            port = "";
        } else if (rest.equals(":*")) {
            port = "*";
        } else if (PORT.matcher(rest).matches()) {
            port = rest.substring(1);
        } else {
            return null;
        }
        return new String[] {name, port};
    }
}
