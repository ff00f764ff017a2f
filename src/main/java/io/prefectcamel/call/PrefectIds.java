package io.prefectcamel.call;

/** Prefect's ids (accounts, workspaces, events, flow runs, ...): UUIDs, written in their hyphenated form. */
public final class PrefectIds {

    private PrefectIds() {
    }

    /** A UUID in its hyphenated form: 8-4-4-4-12 hex digits, either case (checked without a regular expression). */
    public static boolean isUuid(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
