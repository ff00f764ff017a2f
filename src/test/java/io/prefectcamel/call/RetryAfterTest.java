package io.prefectcamel.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** Retry-After as RFC 9110 allows it: delay-seconds or an HTTP-date in any of its three forms. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void secondsAreMilliseconds() {
        assertThat(RetryAfter.millis("5", NOW)).isEqualTo(5000L);
        assertThat(RetryAfter.millis(" 0 ", NOW)).isZero();
        assertThat(RetryAfter.millis("120", NOW)).isEqualTo(120_000L);
    }

    @Test
    void anImfFixdateIsTheTimeUntilThen() {
        assertThat(RetryAfter.millis("Sun, 01 Mar 2026 12:00:07 GMT", NOW)).isEqualTo(7000L);
    }

    @Test
    void theObsoleteDateFormsAreReadToo() {
        assertThat(RetryAfter.millis("Sunday, 01-Mar-26 12:00:09 GMT", NOW)).isEqualTo(9000L);
        assertThat(RetryAfter.millis("Sun Mar  1 12:00:11 2026", NOW)).isEqualTo(11_000L);
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.millis("Sun, 01 Mar 2026 11:59:00 GMT", NOW)).isZero();
    }

    @Test
    void nothingOrNonsenseIsNoValue() {
        assertThat(RetryAfter.millis(null, NOW)).isNull();
        assertThat(RetryAfter.millis("  ", NOW)).isNull();
        assertThat(RetryAfter.millis("soon", NOW)).isNull();
        assertThat(RetryAfter.millis("-3", NOW)).isNull();
        assertThat(RetryAfter.millis("1.5", NOW)).isNull();
    }

    @Test
    void anEnormousNumberIsAVeryLongWaitNotAnError() {
        assertThat(RetryAfter.millis("99999999999999999999", NOW)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void wholeSecondsForACallerAreRoundedUp() {
        assertThat(RetryAfter.seconds("17")).isEqualTo(17L);
        String inAboutThree = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US)
                .format(Instant.now().plusMillis(2500).atOffset(ZoneOffset.UTC));
        assertThat(RetryAfter.seconds(inAboutThree)).isBetween(1L, 3L);
        assertThat(RetryAfter.seconds("later")).isNull();
    }
}
