package io.prefectcamel.kamelets;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * A plain Camel context that knows nothing of the service: only the kamelet component, which finds the catalog
 * in {@code classpath:kamelets/} (where the build copies {@code kamelet-catalog/*.kamelet.yaml}), and the routes a
 * test gives it in YAML.
 */
final class KameletHarness implements AutoCloseable {

    private final CamelContext context = new DefaultCamelContext();

    KameletHarness(String routesYaml) throws Exception {
        this(routesYaml, Map.of());
    }

    KameletHarness(String routesYaml, Map<String, Object> beans) throws Exception {
        this(routesYaml, beans, new java.util.Properties());
    }

    /** With properties the routes' placeholders resolve from (such as camel.kamelet.&lt;name&gt;.apiUrl defaults). */
    KameletHarness(String routesYaml, Map<String, Object> beans, java.util.Properties properties) throws Exception {
        context.getPropertiesComponent().setInitialProperties(properties);
        beans.forEach(context.getRegistry()::bind);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("test.camel.yaml", routesYaml));
        context.start();
    }

    CamelContext context() {
        return context;
    }

    ProducerTemplate template() {
        return context.createProducerTemplate();
    }

    Exchange request(String uri, Object body, Map<String, Object> headers) {
        return template().request(uri, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    @Override
    public void close() {
        context.stop();
    }
}
