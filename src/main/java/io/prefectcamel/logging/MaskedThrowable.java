package io.prefectcamel.logging;

/**
 * Stands in for a logged exception whose message (or a cause's) holds a credential: the same class name, masked
 * message and stack trace, and the causes likewise.
 */
final class MaskedThrowable extends RuntimeException {

    private final String className;

    private MaskedThrowable(Throwable original, Throwable cause) {
        super(SecretMask.mask(original.getMessage()), cause, true, true);
        this.className = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /** The exception itself when nothing in its chain needs masking, else a masked copy. */
    static Throwable of(Throwable t) {
        return t == null || !needsMask(t, 0) ? t : copy(t, 0);
    }

    private static boolean needsMask(Throwable t, int depth) {
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            if (c.getMessage() != null && SecretMask.mask(c.getMessage()) != c.getMessage()) {
                return true;
            }
        }
        return false;
    }

    private static Throwable copy(Throwable t, int depth) {
        Throwable cause = t.getCause() == null || t.getCause() == t || depth >= 20 ? null : copy(t.getCause(), depth + 1);
        return new MaskedThrowable(t, cause);
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message != null ? className + ": " + message : className;
    }
}
