package io.prefectcamel.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A route step as a processor: a bean's method or a class's static method of one exchange, found once. */
class StepTest {

    public static class Counter {
        public int calls;

        public void count(Exchange exchange) {
            calls++;
            exchange.setProperty("counted", calls);
        }

        public void fail(Exchange exchange) throws java.io.IOException {
            throw new java.io.IOException("broken off");
        }

        public static void mark(Exchange exchange) {
            exchange.setProperty("marked", true);
        }

        public String notAStep(Exchange exchange) {
            return "";
        }
    }

    @Test
    void callsTheBeansMethodAndAStaticOneByClassName() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            Counter counter = new Counter();
            new Step(counter, "count").process(exchange);
            new Step(counter, "count").process(exchange);
            assertThat(counter.calls).isEqualTo(2);
            assertThat(exchange.getProperty("counted")).isEqualTo(2);
            new Step(Counter.class.getName(), "mark").process(exchange);
            assertThat(exchange.getProperty("marked")).isEqualTo(true);
            assertThat(new Step(counter, "count")).hasToString("Counter.count");
        }
    }

    @Test
    void theMethodsExceptionReachesTheRouteAsItIs() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Step failing = new Step(new Counter(), "fail");
            assertThatThrownBy(() -> failing.process(new DefaultExchange(context)))
                    .isInstanceOf(java.io.IOException.class).hasMessage("broken off");
        }
    }

    @Test
    void aMethodThatIsNoStepIsRefusedWhenTheBeanIsMade() {
        assertThatThrownBy(() -> new Step(new Counter(), "notAStep")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notAStep");
        assertThatThrownBy(() -> new Step(new Counter(), "missing")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Step("io.prefectcamel.NoSuchClass", "mark"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
