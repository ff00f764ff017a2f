package io.prefectcamel;

import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import io.prefectcamel.sandbox.PrefectSandbox;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the service talks to Prefect or to the embedded sandbox, from Camel properties (so
 * application.properties, its {@code {{env:...}}} defaults, system properties and override properties all count):
 * {@code prefect.sandbox=true} or {@code false} forces it on or off; left empty, the sandbox runs when
 * {@code prefect.api-key} is empty and {@code prefect.api-url} is Prefect Cloud's (its default), since Prefect Cloud
 * answers nothing without a key. The sandbox listens on loopback at {@code prefect.sandbox-port} (0: a free port);
 * the service is then pointed at it, and {@code prefect.account-id} / {@code prefect.workspace-id}, when empty, at its
 * demo ids.
 *
 * <p>Added to Camel Main as a listener, it decides before the context is configured, once the properties are
 * loaded; the sandbox is closed when Main stops.
 */
public final class SandboxSwitch extends MainListenerSupport {

    public static final String SANDBOX = "prefect.sandbox";
    public static final String SANDBOX_PORT = "prefect.sandbox-port";
    public static final String API_KEY = "prefect.api-key";
    public static final String API_URL = "prefect.api-url";
    public static final String ACCOUNT_ID = "prefect.account-id";
    public static final String WORKSPACE_ID = "prefect.workspace-id";
    /** The default of {@code prefect.api-url}. */
    public static final String PREFECT_CLOUD = "https://api.prefect.cloud";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSwitch.class);
    private final UnaryOperator<String> given;
    private PrefectSandbox sandbox;
    private boolean decided;
    private boolean keyGiven;

    /** Reads the settings from the Camel context's properties. */
    public SandboxSwitch() {
        this(null);
    }

    /**
     * Reads the settings (by property name, e.g. {@code prefect.sandbox}) from the given lookup instead of the
     * context's properties, for a caller that fixes them itself (the conformance server).
     */
    public SandboxSwitch(UnaryOperator<String> settings) {
        this.given = settings;
    }

    /** Decides now, with the settings given to the constructor, and closes the sandbox when {@code main} stops. */
    public void apply(BaseMainSupport main) {
        if (given == null) {
            throw new IllegalStateException("apply(main) needs the settings given to the constructor");
        }
        decide(given, main::addOverrideProperty);
        announce();
        main.addMainListener(this);
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        UnaryOperator<String> setting = given != null ? given : key -> properties.resolveProperty(key).orElse(null);
        decide(setting, properties::addOverrideProperty);
        // Camel puts an environment variable or system property of the same name before override properties
        if (sandbox != null && !sandbox.baseUrl().equals(properties.resolveProperty(API_URL).orElse(null))) {
            sandbox.close();
            sandbox = null;
            throw new IllegalStateException("The embedded sandbox is on (" + (keyGiven ? SANDBOX + "=true"
                    : "no " + API_KEY + " for Prefect Cloud") + "), but " + API_URL + " is also given as an environment"
                    + " variable (PREFECT_API_URL) or system property, which Camel puts before the sandbox's URL: "
                    + (keyGiven ? "set " + SANDBOX + " to false or empty, or drop that variable"
                            : "set PREFECT_API_KEY (" + API_KEY + "), or drop that variable"));
        }
        if (given == null) {
            announce();
        }
    }

    /** Whether the sandbox is wanted with these settings (looked up by property name). */
    public static boolean wanted(UnaryOperator<String> setting) {
        String forced = trimmed(setting.apply(SANDBOX));
        if (forced != null) {
            switch (forced.toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new IllegalArgumentException(SANDBOX + " (PREFECT_SANDBOX) must be true, false or empty, not: "
                            + forced);
            }
        }
        return trimmed(setting.apply(API_KEY)) == null && isPrefectCloud(setting.apply(API_URL));
    }

    private synchronized void decide(UnaryOperator<String> setting, BiConsumer<String, String> override) {
        if (decided) {
            return;
        }
        decided = true;
        if (!wanted(setting)) {
            return;
        }
        String key = trimmed(setting.apply(API_KEY));
        sandbox = PrefectSandbox.builder()
                .host("127.0.0.1")
                .port(port(setting.apply(SANDBOX_PORT)))
                .apiKey(key)
                .seed(true)
                .build()
                .start();
        override.accept(API_URL, sandbox.baseUrl());
        if (trimmed(setting.apply(ACCOUNT_ID)) == null) {
            override.accept(ACCOUNT_ID, PrefectSandbox.DEMO_ACCOUNT_ID);
        }
        if (trimmed(setting.apply(WORKSPACE_ID)) == null) {
            override.accept(WORKSPACE_ID, PrefectSandbox.DEMO_WORKSPACE_ID);
        }
        keyGiven = key != null;
    }

    private void announce() {
        if (sandbox == null) {
            return;
        }
        LOG.info("{}: using the embedded Prefect sandbox at {} (demo account {}, demo workspace {}); {}",
                keyGiven ? SANDBOX + "=true" : "No Prefect API key set", sandbox.baseUrl(),
                PrefectSandbox.DEMO_ACCOUNT_ID, PrefectSandbox.DEMO_WORKSPACE_ID, keyGiven
                        ? "set PREFECT_SANDBOX (prefect.sandbox) to false or empty to use Prefect"
                        : "set PREFECT_API_KEY (prefect.api-key) to use Prefect Cloud");
    }

    public PrefectSandbox sandbox() {
        return sandbox;
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static int port(String value) {
        String v = trimmed(value);
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SANDBOX_PORT + " (PREFECT_SANDBOX_PORT) must be a port number, not: " + v);
        }
    }

    private static boolean isPrefectCloud(String url) {
        String u = trimmed(url);
        if (u == null) {
            return true;
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.equalsIgnoreCase(PREFECT_CLOUD);
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
