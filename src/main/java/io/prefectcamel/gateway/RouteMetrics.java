package io.prefectcamel.gateway;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Which routes Camel's per-route metrics (camel.metrics.enable-route-policy) leave out. A REST call passes five routes
 * and each one's timer and counters cost about 1.5% of the call; the operation's route and prefect-call carry what
 * a user reads (per operation, and every Prefect call), the plumbing between them only repeats it.
 *
 * <p>Camel Main has no setting for the route policy's exclude pattern, so this bean puts a factory with it in place of
 * the one Camel Main registered (before the routes start, which is when the factory makes their policies), one that
 * makes {@link LeanRoutePolicy}s: the same meters as Camel's. Without metrics it does nothing.
 */
public final class RouteMetrics implements CamelContextAware {

    private CamelContext camelContext;
    private String excludedRoutes = "";

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        apply();
    }

    public String getExcludedRoutes() {
        return excludedRoutes;
    }

    /** Route ids or patterns (Camel's: {@code prefix*} or a regular expression), comma separated. */
    public void setExcludedRoutes(String excludedRoutes) {
        this.excludedRoutes = excludedRoutes == null ? "" : excludedRoutes.strip();
        apply();
    }

    /** How many route policy factories took the pattern (0 without metrics, or before both are set). */
    public int apply() {
        if (camelContext == null) {
            return 0;
        }
        int applied = 0;
        java.util.List<RoutePolicyFactory> factories = camelContext.getRoutePolicyFactories();
        for (int i = 0; i < factories.size(); i++) {
            if (factories.get(i) instanceof MicrometerRoutePolicyFactory micrometer) {
                // a configuration of its own: the one Camel Main sets up is the library's shared default
                MicrometerRoutePolicyConfiguration given = micrometer.getPolicyConfiguration();
                MicrometerRoutePolicyConfiguration own = new MicrometerRoutePolicyConfiguration();
                own.setContextEnabled(given.isContextEnabled());
                own.setRouteEnabled(given.isRouteEnabled());
                own.setAdditionalCounters(given.isAdditionalCounters());
                own.setExchangesSucceeded(given.isExchangesSucceeded());
                own.setExchangesFailed(given.isExchangesFailed());
                own.setExchangesTotal(given.isExchangesTotal());
                own.setExternalRedeliveries(given.isExternalRedeliveries());
                own.setFailuresHandled(given.isFailuresHandled());
                own.setLongTask(given.isLongTask());
                own.setTimerInitiator(given.getTimerInitiator());
                own.setLongTaskInitiator(given.getLongTaskInitiator());
                own.setExcludePattern(excludedRoutes.isEmpty() ? null : excludedRoutes);
                if (micrometer instanceof LeanRoutePolicy.Factory) {
                    micrometer.setPolicyConfiguration(own);
                } else {
                    factories.set(i, new LeanRoutePolicy.Factory(micrometer, own));
                }
                applied++;
            }
        }
        return applied;
    }
}
