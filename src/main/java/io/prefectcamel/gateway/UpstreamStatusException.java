package io.prefectcamel.gateway;

/** Prefect answered with a server error (5xx); thrown inside the circuit breaker so that it counts as a failure. */
public final class UpstreamStatusException extends RuntimeException {

    private final int status;
    private final String body;
    private final String contentType;
    private final String retryAfter;

    public UpstreamStatusException(int status, String body, String contentType, String retryAfter) {
        super("Prefect answered " + status, null, false, false);
        this.status = status;
        this.body = body;
        this.contentType = contentType;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    public String contentType() {
        return contentType;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
