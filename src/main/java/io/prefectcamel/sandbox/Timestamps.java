package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Times are held as microseconds since the epoch (UTC), the precision Prefect stores.
 * Parsing accepts what pydantic accepts for a datetime (ISO 8601 with or without offset,
 * a space instead of 'T', a plain date, or a unix timestamp); formatting is pydantic's JSON form.
 */
final class Timestamps {

    static final long MICROS_PER_SECOND = 1_000_000L;

    private Timestamps() {
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
    }

    /** Parses a JSON datetime value, or returns null if it is not one. */
    static Long parse(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            double value = node.asDouble();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return null;
            }
            // pydantic: numbers above 2e10 are taken as milliseconds
            double seconds = Math.abs(value) > 2e10 ? value / 1000.0 : value;
            return Math.round(seconds * MICROS_PER_SECOND);
        }
        if (node.isTextual()) {
            return parse(node.asText());
        }
        return null;
    }

    static Long parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            if (s.length() == 10) {
                return micros(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (s.length() > 10 && (s.charAt(10) == ' ' || s.charAt(10) == 't')) {
                s = s.substring(0, 10) + 'T' + s.substring(11);
            }
            if (s.endsWith("z")) {
                s = s.substring(0, s.length() - 1) + 'Z';
            }
            // +HHMM offsets: add the colon java.time wants
            int n = s.length();
            if (n > 16 && (s.charAt(n - 5) == '+' || s.charAt(n - 5) == '-') && allDigits(s, n - 4, n)) {
                s = s.substring(0, n - 2) + ':' + s.substring(n - 2);
            } else if (n > 16 && (s.charAt(n - 3) == '+' || s.charAt(n - 3) == '-') && allDigits(s, n - 2, n)
                    && s.charAt(n - 6) != '+' && s.charAt(n - 6) != '-') {
                s = s + ":00";
            }
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(s);
            Instant instant;
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                instant = Instant.from(parsed);
            } else {
                instant = LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
            }
            return micros(instant);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** pydantic's JSON form of a UTC datetime: {@code 2024-05-01T12:00:00.123456Z}, no fraction when zero. */
    static String format(long micros) {
        StringBuilder sb = new StringBuilder(27);
        appendDateTime(sb, micros);
        sb.append('Z');
        return sb.toString();
    }

    /** Python's {@code datetime.isoformat()} of a UTC datetime: {@code 2024-05-01T00:00:00+00:00}. */
    static String isoformat(long micros) {
        StringBuilder sb = new StringBuilder(32);
        appendDateTime(sb, micros);
        sb.append("+00:00");
        return sb.toString();
    }

    private static void appendDateTime(StringBuilder sb, long micros) {
        long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
        int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        if (fraction != 0) {
            sb.append('.');
            pad(sb, fraction, 6);
        }
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }
}
