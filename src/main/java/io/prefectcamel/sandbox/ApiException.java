package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP error answer, shaped as FastAPI shapes them: {@code {"detail": ...}}. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final transient JsonNode body;
    final transient Map<String, String> headers = new LinkedHashMap<>();

    ApiException(int status, JsonNode body) {
        super(null, null, false, false);
        this.status = status;
        this.body = body;
    }

    static ApiException detail(int status, String detail) {
        return new ApiException(status, Json.detail(detail));
    }

    static ApiException validation(ArrayNode errors) {
        ObjectNode body = Json.object();
        body.set("detail", errors);
        return new ApiException(422, body);
    }

    ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    @Override
    public String getMessage() {
        return status + " " + body;
    }
}
