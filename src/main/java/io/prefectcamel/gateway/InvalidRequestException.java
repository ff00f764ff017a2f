package io.prefectcamel.gateway;

/** Input the facade refuses before anything is sent to Prefect. */
public final class InvalidRequestException extends RuntimeException {

    private final int status;
    private final String parameter;

    public InvalidRequestException(int status, String parameter, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    public int status() {
        return status;
    }

    public String parameter() {
        return parameter;
    }
}
