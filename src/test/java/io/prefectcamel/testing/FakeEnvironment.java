package io.prefectcamel.testing;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesFunction;

/**
 * Puts a Camel context's properties out of reach of the developer's real environment: the {@code {{env:NAME:default}}}
 * function of application.properties reads the given variables instead of the process's, Camel's own mapping of
 * properties onto environment variables is off, and so is the system properties lookup unless asked for.
 */
public final class FakeEnvironment extends MainListenerSupport {

    private final Map<String, String> variables;
    private final boolean systemProperties;

    private FakeEnvironment(Map<String, String> variables, boolean systemProperties) {
        this.variables = Map.copyOf(variables);
        this.systemProperties = systemProperties;
    }

    /** Only these variables exist; system properties are not looked at. */
    public static FakeEnvironment of(Map<String, String> variables) {
        return new FakeEnvironment(variables, false);
    }

    /** Only these variables exist; system properties are looked at as Camel does by default. */
    public static FakeEnvironment withSystemProperties(Map<String, String> variables) {
        return new FakeEnvironment(variables, true);
    }

    @Override
    public void beforeInitialize(BaseMainSupport main) {
        applyTo(main.getCamelContext());
    }

    public void applyTo(CamelContext context) {
        PropertiesComponent pc = (PropertiesComponent) context.getPropertiesComponent();
        pc.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        if (!systemProperties) {
            pc.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        }
        pc.addPropertiesFunction(new PropertiesFunction() {
            @Override
            public String getName() {
                return "env";
            }

            @Override
            public String apply(String remainder) {
                int colon = remainder.indexOf(':');
                String name = colon < 0 ? remainder : remainder.substring(0, colon);
                String value = variables.get(name.trim());
                return value != null ? value : colon < 0 ? null : remainder.substring(colon + 1);
            }
        });
    }
}
