package io.prefectcamel.call;

import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.IOHelper;

/**
 * Sets {@code Authorization: Bearer <key>} on the Prefect call. It holds the key itself, so that no route needs a
 * {@code {{...}}} placeholder for it: Camel logs every placeholder resolution with its result at DEBUG
 * ({@code Resolved text: Bearer {{prefect.api-key}} -> Bearer <key>}), and its property parser logs each value it
 * finds ({@code Found property: ... with value: ...}).
 * <p>
 * The service's route names the property ({@link #setKeyProperty}, {@code prefect.api-key} by default); the key is
 * looked up once, on the first call, the way Camel would (an environment variable of the property's name, then a
 * system property, then the loaded, initial and override properties, as the properties component's modes say), and
 * an {@code {{env:NAME:default}}} value is resolved here, without Camel's logging parser. Other placeholder forms
 * go through the properties component. The key can also be given with {@link #setApiKey}. The key is registered
 * with {@link Secrets}, so that the logging layer masks it.
 */
public class PrefectAuth implements CamelContextAware {

    public static final String HEADER = "Authorization";
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([^:}]+)(?::([^}]*))?}}");

    private CamelContext camelContext;
    private String keyProperty = "prefect.api-key";
    private volatile String authorization;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The Camel property that holds the key (read on the first call). */
    public void setKeyProperty(String keyProperty) {
        this.keyProperty = keyProperty;
    }

    /** The key itself (the Kamelets' {@code apiKey}). */
    public void setApiKey(String apiKey) {
        this.authorization = "Bearer " + Secrets.register(apiKey == null ? "" : apiKey.trim());
    }

    /** Sets the Authorization header of the call. */
    public void authorize(Exchange exchange) {
        String value = authorization;
        if (value == null) {
            value = lookUp(exchange.getContext());
        }
        exchange.getMessage().setHeader(HEADER, value);
    }

    private synchronized String lookUp(CamelContext context) {
        if (authorization == null) {
            String key = quietLookup(camelContext != null ? camelContext : context, keyProperty);
            authorization = "Bearer " + Secrets.register(key == null ? "" : key.trim());
        }
        return authorization;
    }

    /** A property's value, looked up without Camel's placeholder parser (which logs values at DEBUG). */
    static String quietLookup(CamelContext context, String name) {
        PropertiesComponent pc = context.getPropertiesComponent();
        int envMode = org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_OVERRIDE;
        int sysMode = org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_OVERRIDE;
        if (pc instanceof org.apache.camel.component.properties.PropertiesComponent camel) {
            envMode = camel.getEnvironmentVariableMode();
            sysMode = camel.getSystemPropertiesMode();
        }
        String value = null;
        if (envMode == org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_OVERRIDE) {
            value = IOHelper.lookupEnvironmentVariable(name);
        }
        if (value == null && sysMode == org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_OVERRIDE) {
            value = System.getProperty(name);
        }
        if (value == null) {
            Properties loaded = pc.loadProperties(name::equals);
            value = loaded.getProperty(name);
        }
        if (value == null && envMode == org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK) {
            value = IOHelper.lookupEnvironmentVariable(name);
        }
        if (value == null && sysMode == org.apache.camel.component.properties.PropertiesComponent.SYSTEM_PROPERTIES_MODE_FALLBACK) {
            value = System.getProperty(name);
        }
        if (value != null && value.contains("{{")) {
            Matcher env = ENV.matcher(value.trim());
            if (env.matches()) {
                String fromEnv = IOHelper.lookupEnvironmentVariable(env.group(1));
                value = fromEnv != null ? fromEnv : env.group(2) != null ? env.group(2) : "";
            } else {
                value = pc.resolveProperty(name).orElse(null); // logged at DEBUG: the logging layer masks it
            }
        }
        return value;
    }
}
