package io.prefectcamel.sandbox;

import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/** Strict UUID parsing (as pydantic does it) into the canonical lower-case hyphenated form. */
final class Uuids {

    private Uuids() {
    }

    /** The canonical form of the given UUID text, or null if it is not a UUID. */
    static String canonical(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            s = s.substring(9);
        }
        if (s.length() == 38 && s.charAt(0) == '{' && s.charAt(37) == '}') {
            s = s.substring(1, 37);
        }
        String hex;
        if (s.length() == 36) {
            if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return null;
            }
            hex = s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23) + s.substring(24);
        } else if (s.length() == 32) {
            hex = s;
        } else {
            return null;
        }
        for (int i = 0; i < 32; i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return null;
            }
        }
        hex = hex.toLowerCase(Locale.ROOT);
        return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
                + hex.substring(16, 20) + '-' + hex.substring(20);
    }

    static boolean isUuid(String text) {
        return canonical(text) != null;
    }

    /** A pydantic-like explanation of why the text is not a UUID. */
    static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.digit(c, 16) < 0 && c != '-') {
                return "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `"
                        + c + "` at " + (i + 1);
            }
        }
        return "invalid length: expected length 32 for simple format, found " + text.replace("-", "").length();
    }

    /** A version-4 UUID drawn from the given random source (deterministic for a seeded Random). */
    static String random(Random random) {
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
