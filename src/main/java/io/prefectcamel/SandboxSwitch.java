package io.prefectcamel;

import java.util.Locale;
import java.util.function.UnaryOperator;

import io.prefectcamel.sandbox.PrefectSandbox;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the service talks to Prefect or to the embedded sandbox: the sandbox when neither
 * PREFECT_API_KEY nor PREFECT_API_URL is set, or when PREFECT_SANDBOX=true; never when PREFECT_SANDBOX=false.
 */
public final class SandboxSwitch extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxSwitch.class);
    private final UnaryOperator<String> env;
    private PrefectSandbox sandbox;

    public SandboxSwitch(UnaryOperator<String> env) {
        this.env = env;
    }

    /** Looks a setting up as a system property first, then as an environment variable. */
    public static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    public boolean wanted() {
        String forced = env.apply("PREFECT_SANDBOX");
        if (forced != null && !forced.isBlank()) {
            return Boolean.parseBoolean(forced.trim().toLowerCase(Locale.ROOT));
        }
        return isBlank(env.apply("PREFECT_API_KEY")) && isBlank(env.apply("PREFECT_API_URL"));
    }

    /** Starts the sandbox when wanted and points the service at it. */
    public void apply(BaseMainSupport main) {
        if (!wanted()) {
            return;
        }
        String port = env.apply("PREFECT_SANDBOX_PORT");
        String key = env.apply("PREFECT_API_KEY");
        sandbox = PrefectSandbox.builder()
                .host("127.0.0.1")
                .port(isBlank(port) ? 0 : Integer.parseInt(port.trim()))
                .apiKey(isBlank(key) ? null : key)
                .seed(true)
                .build()
                .start();
        main.addOverrideProperty("prefect.api-url", sandbox.baseUrl());
        if (isBlank(env.apply("PREFECT_ACCOUNT_ID"))) {
            main.addOverrideProperty("prefect.account-id", PrefectSandbox.DEMO_ACCOUNT_ID);
        }
        if (isBlank(env.apply("PREFECT_WORKSPACE_ID"))) {
            main.addOverrideProperty("prefect.workspace-id", PrefectSandbox.DEMO_WORKSPACE_ID);
        }
        LOG.info("No Prefect API key set: using the embedded Prefect sandbox at {} (demo account {}, demo workspace {}); "
                + "set PREFECT_API_KEY to use Prefect Cloud", sandbox.baseUrl(), PrefectSandbox.DEMO_ACCOUNT_ID,
                PrefectSandbox.DEMO_WORKSPACE_ID);
        main.addMainListener(this);
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

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
