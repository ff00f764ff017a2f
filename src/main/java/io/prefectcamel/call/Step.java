package io.prefectcamel.call;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One step of a route on the hot path: a bean's {@code void method(Exchange)}, called as a {@link Processor}
 * ({@code process: ref: ...}). The bean component would find the method, bind its parameters and invoke it by
 * reflection on every exchange, and copy the exchange's properties for a {@code method:} expression; on the Prefect
 * call's dozen steps that was about 7% of a REST call's CPU. The method is looked up once, when the route starts.
 * <pre>
 * - name: prepareCall
 *   type: "#class:io.prefectcamel.call.Step"
 *   constructors:
 *     0: "#bean:gateway"
 *     1: prepare
 * </pre>
 */
public final class Step implements Processor {

    private static final MethodType STEP = MethodType.methodType(void.class, Exchange.class);

    private final MethodHandle method;
    private final String name;

    /**
     * @param bean   the bean, or the name of a class for a static method
     * @param method the name of its public {@code void method(Exchange)}
     */
    public Step(Object bean, String method) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            if (bean instanceof String className) {
                Class<?> type = Class.forName(className, true, Step.class.getClassLoader());
                this.method = lookup.findStatic(type, method, STEP);
                this.name = type.getSimpleName() + "." + method;
            } else {
                this.method = lookup.findVirtual(bean.getClass(), method, STEP).bindTo(bean);
                this.name = bean.getClass().getSimpleName() + "." + method;
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("No public void " + method + "(Exchange) on " + bean, e);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        try {
            method.invokeExact(exchange);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
