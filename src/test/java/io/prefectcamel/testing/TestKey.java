package io.prefectcamel.testing;

/**
 * The Prefect API key the tests give the service. It is fake and distinctive, so that finding it in a log line or
 * in an answer to a caller proves a leak.
 */
public final class TestKey {

    public static final String VALUE = "pnu_TESTKEY_do_not_log_0123456789abcdef";

    /** The distinctive middle of the key: a truncated or reformatted copy still contains it. */
    static final String FRAGMENT = "TESTKEY_do_not_log";

    private TestKey() {
    }

    /** True when the text holds the key, or enough of it to matter. */
    public static boolean isIn(CharSequence text) {
        return text != null && text.toString().contains(FRAGMENT);
    }
}
