package io.prefectcamel.call;

/**
 * Prefect answered a status the call cannot simply hand back: 429 (rate limited) or a server error (5xx). Carries
 * the answer's status and {@code Retry-After}; never the request, so never the key.
 */
public final class PrefectStatusException extends RuntimeException {

    private final int status;
    private final String retryAfter;

    public PrefectStatusException(int status, String retryAfter) {
        super("Prefect answered HTTP " + status, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String retryAfter() {
        return retryAfter;
    }

    public boolean rateLimited() {
        return status == 429;
    }
}
