package io.prefectcamel.call;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Reads an HTTP {@code Retry-After} value (RFC 9110, section 10.2.3): a number of seconds, or an HTTP-date in the
 * preferred IMF-fixdate form ({@code Sun, 06 Nov 1994 08:49:37 GMT}) or one of the two obsolete forms that
 * recipients must still accept (RFC 850 {@code Sunday, 06-Nov-94 08:49:37 GMT} and asctime
 * {@code Sun Nov  6 08:49:37 1994}).
 */
public final class RetryAfter {

    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEE MMM ")
            .padNext(2).appendValue(ChronoField.DAY_OF_MONTH)
            .appendPattern(" HH:mm:ss yyyy")
            .toFormatter(Locale.US);
    private static final List<DateTimeFormatter> OBSOLETE = List.of(RFC_850, ASCTIME);

    private RetryAfter() {
    }

    /**
     * The wait a {@code Retry-After} value asks for, in milliseconds from {@code now} (0 for a date in the past), or
     * {@code null} when there is no value or it is neither a number of seconds nor an HTTP-date.
     */
    public static Long millis(String value, Instant now) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Math.multiplyExact(Long.parseLong(v), 1000L);
            } catch (ArithmeticException | NumberFormatException tooLarge) {
                return Long.MAX_VALUE;
            }
        }
        Instant when = date(v);
        return when == null ? null : Math.max(0, Duration.between(now, when).toMillis());
    }

    /** The same, from the current time. */
    public static Long millis(String value) {
        return millis(value, Instant.now());
    }

    /**
     * The wait as whole seconds (rounded up), for telling a caller when to come back; {@code null} when the value is
     * absent or unreadable.
     */
    public static Long seconds(String value) {
        Long ms = millis(value);
        return ms == null ? null : ms / 1000 + (ms % 1000 == 0 ? 0 : 1);
    }

    /** An HTTP-date as an instant, or {@code null}. */
    static Instant date(String v) {
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(v, Instant::from);
        } catch (DateTimeParseException notImfFixdate) {
            for (DateTimeFormatter f : OBSOLETE) {
                try {
                    return LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notThisForm) {
                    // try the next form
                }
            }
            return null;
        }
    }
}
