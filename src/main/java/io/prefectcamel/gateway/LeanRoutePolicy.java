package io.prefectcamel.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicy;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyConfiguration;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyNamingStrategy;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.spi.ManagementStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.PatternHelper;

/**
 * Camel's per-route timer and exchange counters, the same meters (names, tags, descriptions) as camel-micrometer's
 * own route policy records, without the {@code String.format} it runs three times per route and exchange to name the
 * exchange property that holds the timer's sample: about 2% of a REST call's CPU on the two routes the facade meters.
 * Where the configuration asks for more (context-level metrics, long-task timers), Camel's policy does all of it.
 */
final class LeanRoutePolicy extends MicrometerRoutePolicy {

    private volatile Stats stats;

    LeanRoutePolicy(MicrometerRoutePolicyFactory factory) {
        super(factory);
    }

    /** Camel's route policy factory, with its settings, making these policies. */
    static final class Factory extends MicrometerRoutePolicyFactory {

        Factory(MicrometerRoutePolicyFactory given, MicrometerRoutePolicyConfiguration configuration) {
            setCamelContext(given.getCamelContext());
            setMeterRegistry(given.getMeterRegistry());
            setPrettyPrint(given.isPrettyPrint());
            setSkipCamelInfo(given.isSkipCamelInfo());
            setDurationUnit(given.getDurationUnit());
            setNamingStrategy(given.getNamingStrategy());
            setPolicyConfiguration(configuration);
        }

        @Override
        public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode routeDefinition) {
            LeanRoutePolicy policy = new LeanRoutePolicy(this);
            policy.setMeterRegistry(getMeterRegistry());
            policy.setPrettyPrint(isPrettyPrint());
            policy.setSkipCamelInfo(isSkipCamelInfo());
            policy.setDurationUnit(getDurationUnit());
            policy.setNamingStrategy(getNamingStrategy());
            policy.setConfiguration(getPolicyConfiguration());
            return policy;
        }
    }

    /** What one route records; the timer is made on the first exchange's end, as Camel makes it. */
    private static final class Stats {
        final Route route;
        final String property;
        final MeterRegistry registry;
        final Counter succeeded;
        final Counter failed;
        final Counter total;
        final Counter redeliveries;
        final Counter handled;
        volatile Timer timer;

        Stats(Route route, MeterRegistry registry, MicrometerRoutePolicyNamingStrategy naming,
                MicrometerRoutePolicyConfiguration c) {
            this.route = route;
            this.registry = registry;
            this.property = MicrometerConstants.DEFAULT_CAMEL_ROUTE_POLICY_METER_NAME + "-" + route.getId() + "-";
            boolean more = c.isAdditionalCounters();
            // the counters Camel's policy registered when the route started: registering again finds the same meter
            succeeded = more && c.isExchangesSucceeded() ? counter(naming, naming.getExchangesSucceededName(route),
                    "Number of successfully completed exchanges") : null;
            failed = more && c.isExchangesFailed() ? counter(naming, naming.getExchangesFailedName(route),
                    "Number of failed exchanges") : null;
            total = more && c.isExchangesTotal() ? counter(naming, naming.getExchangesTotalName(route),
                    "Total number of processed exchanges") : null;
            redeliveries = more && c.isExternalRedeliveries() ? counter(naming,
                    naming.getExternalRedeliveriesName(route),
                    "Number of external initiated redeliveries (such as from JMS broker)") : null;
            handled = more && c.isFailuresHandled() ? counter(naming, naming.getFailuresHandledName(route),
                    "Number of failures handled") : null;
        }

        private Counter counter(MicrometerRoutePolicyNamingStrategy naming, String name, String description) {
            return Counter.builder(name).tags(naming.getExchangeStatusTags(route)).description(description)
                    .register(registry);
        }
    }

    @Override
    public void onStart(Route route) {
        super.onStart(route);
        MicrometerRoutePolicyConfiguration c = getConfiguration();
        if (c.isContextEnabled() || c.isLongTask() || skipped(route, c) || getMeterRegistry() == null) {
            stats = null; // Camel's policy, as it is
        } else {
            stats = new Stats(route, getMeterRegistry(), getNamingStrategy(), c);
        }
    }

    /** The routes Camel's policy leaves out, by the same rules. */
    private static boolean skipped(Route route, MicrometerRoutePolicyConfiguration c) {
        if (!c.isRouteEnabled()) {
            return true;
        }
        boolean kamelets = false;
        boolean templates = true;
        ManagementStrategy ms = route.getCamelContext().getManagementStrategy();
        ManagementAgent agent = ms != null ? ms.getManagementAgent() : null;
        if (agent != null) {
            kamelets = Boolean.TRUE.equals(agent.getRegisterRoutesCreateByKamelet());
            templates = Boolean.TRUE.equals(agent.getRegisterRoutesCreateByTemplate());
        }
        if ((route.isCreatedByKamelet() && !kamelets) || (route.isCreatedByRouteTemplate() && !templates)) {
            return true;
        }
        return c.getExcludePattern() != null
                && PatternHelper.matchPatterns(route.getRouteId(), c.getExcludePattern().split(","));
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        Stats s = stats;
        if (s == null) {
            super.onExchangeBegin(route, exchange);
            return;
        }
        exchange.setProperty(s.property + exchange.getExchangeId(), Timer.start(s.registry));
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Stats s = stats;
        if (s == null) {
            super.onExchangeDone(route, exchange);
            return;
        }
        Timer.Sample sample = (Timer.Sample) exchange.removeProperty(s.property + exchange.getExchangeId());
        if (sample != null) {
            Timer timer = s.timer;
            if (timer == null) {
                MicrometerRoutePolicyNamingStrategy naming = getNamingStrategy();
                Timer.Builder builder = Timer.builder(naming.getName(route)).tags(naming.getTags(route))
                        .description("Route performance metrics");
                if (getConfiguration().getTimerInitiator() != null) {
                    getConfiguration().getTimerInitiator().accept(builder);
                }
                timer = builder.register(s.registry);
                s.timer = timer;
            }
            sample.stop(timer);
        }
        if (s.total != null) {
            s.total.increment();
        }
        if (exchange.isFailed()) {
            if (s.failed != null) {
                s.failed.increment();
            }
        } else {
            if (s.succeeded != null) {
                s.succeeded.increment();
            }
            if (s.handled != null && ExchangeHelper.isFailureHandled(exchange)) {
                s.handled.increment();
            }
            if (s.redeliveries != null && exchange.isExternalRedelivered()) {
                s.redeliveries.increment();
            }
        }
    }

    @Override
    public void onRemove(Route route) {
        super.onRemove(route);
        Stats s = stats;
        stats = null;
        if (s != null && s.timer != null) {
            s.registry.remove(s.timer);
        }
    }
}
