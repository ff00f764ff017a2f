package io.prefectcamel.logging;

import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.impl.DefaultLogEventFactory;
import org.apache.logging.log4j.core.impl.LocationAwareLogEventFactory;
import org.apache.logging.log4j.core.impl.LogEventFactory;
import org.apache.logging.log4j.core.impl.ReusableLogEventFactory;
import org.apache.logging.log4j.core.util.Constants;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Log4j's log event factory with credentials masked ({@link SecretMask}) in the message and in the thrown
 * exception's messages, before any appender, filter or layout sees the event: whichever logger prints a key
 * (Camel's property resolution, HttpClient's {@code headers} and {@code wire} loggers at DEBUG, anything else),
 * and whatever appenders a configuration has. Named in {@code log4j2.component.properties}
 * ({@code log4j2.logEventFactory}), so it holds for every configuration file. Events of levels that are off are
 * never created, so below the configured level it costs nothing; for a logged event it is one scan of the message.
 */
public final class MaskingLogEventFactory implements LogEventFactory, LocationAwareLogEventFactory {

    private final LocationAwareLogEventFactory delegate = Constants.ENABLE_THREADLOCALS
            ? new ReusableLogEventFactory() : new DefaultLogEventFactory();

    @Override
    public LogEvent createEvent(String loggerName, Marker marker, String fqcn, Level level, Message data,
            List<Property> properties, Throwable t) {
        return delegate.createEvent(loggerName, marker, fqcn, null, level, mask(loggerName, data), properties, MaskedThrowable.of(t));
    }

    @Override
    public LogEvent createEvent(String loggerName, Marker marker, String fqcn, StackTraceElement location, Level level,
            Message data, List<Property> properties, Throwable t) {
        return delegate.createEvent(loggerName, marker, fqcn, location, level, mask(loggerName, data), properties, MaskedThrowable.of(t));
    }

    static Message mask(String loggerName, Message data) {
        if (data == null) {
            return null;
        }
        String text = data.getFormattedMessage();
        String masked = SecretMask.mask(loggerName, text);
        return masked == text ? data : new SimpleMessage(masked);
    }
}
