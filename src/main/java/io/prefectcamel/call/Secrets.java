package io.prefectcamel.call;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The secret values this process holds (the Prefect key), so that the logging layer can mask them wherever they
 * turn up, even when they do not look like a token. Only values of 8 characters or more are kept: a shorter one
 * would mask ordinary words.
 */
public final class Secrets {

    private static final Set<String> VALUES = new CopyOnWriteArraySet<>();

    private Secrets() {
    }

    /** Remembers a secret value and answers it (blank or short values are not remembered). */
    public static String register(String value) {
        if (value != null && value.trim().length() >= 8) {
            VALUES.add(value.trim());
        }
        return value;
    }

    /** The values registered so far. */
    public static Set<String> values() {
        return VALUES;
    }
}
