package io.prefectcamel.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * A log4j2 appender (configured in log4j2-test.properties for the whole test run) that records every log event
 * whose message, thrown exception or context data holds the test's Prefect key. {@link #leaks()} lists them.
 */
@Plugin(name = "KeyLeakGuard", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE)
public final class KeyLeakAppender extends AbstractAppender {

    /** The appenders log4j built from the configuration; a test's own instance is not among them. */
    private static final List<KeyLeakAppender> CONFIGURED = new CopyOnWriteArrayList<>();

    private final List<String> recorded = new ArrayList<>();

    private KeyLeakAppender(String name) {
        super(name, null, null, true, Property.EMPTY_ARRAY);
    }

    @PluginFactory
    public static KeyLeakAppender create(@PluginAttribute("name") String name) {
        KeyLeakAppender appender = new KeyLeakAppender(name == null ? "KeyLeakGuard" : name);
        CONFIGURED.add(appender);
        return appender;
    }

    /** An appender outside the log configuration, to check the guard itself. */
    public static KeyLeakAppender unregistered(String name) {
        return new KeyLeakAppender(name);
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder text = new StringBuilder();
        text.append(event.getMessage() == null ? "" : event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        event.getContextData().forEach((k, v) -> text.append('\n').append(k).append('=').append(v));
        if (TestKey.isIn(text)) {
            synchronized (recorded) {
                recorded.add(event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "]: "
                        + text.toString().replace(TestKey.VALUE, "<KEY>"));
            }
        }
    }

    /** The events this appender recorded (with the key itself masked). */
    public List<String> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** True once log4j has built this appender from the test configuration. */
    public static boolean isInstalled() {
        return !CONFIGURED.isEmpty();
    }

    /** The log events of the run so far that held the key (with the key itself masked). */
    public static List<String> leaks() {
        List<String> all = new ArrayList<>();
        CONFIGURED.forEach(a -> all.addAll(a.recorded()));
        return all;
    }
}
