package io.prefectcamel.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The facade's OpenAPI document, read once: the operations, their parameters and the Prefect call each maps to.
 * The same document drives the REST routing (OperationPaths), request validation and the MCP tool list.
 */
public final class FacadeSpec {

    public static final String LOCATION = "openapi/prefect-camel-openapi.yaml";

    public record Parameter(String name, String in, boolean required, JsonNode schema) {
        /** The name Prefect uses: facade path ids are kebab-case, Prefect's are snake_case. */
        public String upstreamName() {
            return "path".equals(in) ? name.replace('-', '_') : name;
        }
    }

    public record Operation(String id, String method, String path, String upstreamMethod, String upstreamPath,
                            List<Parameter> parameters, JsonNode requestBodySchema, boolean bodyRequired, JsonNode node) {
    }

    private static volatile FacadeSpec instance;

    private final JsonNode document;
    private final Map<String, Operation> operations;

    private FacadeSpec(JsonNode document) {
        this.document = document;
        Map<String, Operation> ops = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                JsonNode op = m.getValue();
                List<Parameter> params = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    params.add(new Parameter(p.path("name").asText(), p.path("in").asText(), p.path("required").asBoolean(false),
                            resolve(p.path("schema"))));
                }
                JsonNode body = op.path("requestBody");
                JsonNode bodySchema = body.isMissingNode() ? null : resolve(body.path("content").path("application/json").path("schema"));
                JsonNode upstream = op.path("x-prefect-operation");
                String id = op.path("operationId").asText();
                ops.put(id, new Operation(id, m.getKey().toUpperCase(), path.getKey(), upstream.path("method").asText(null),
                        upstream.path("path").asText(null), List.copyOf(params), bodySchema, body.path("required").asBoolean(false), op));
            }
        }
        this.operations = Collections.unmodifiableMap(ops);
    }

    public static FacadeSpec get() {
        FacadeSpec spec = instance;
        if (spec == null) {
            synchronized (FacadeSpec.class) {
                if (instance == null) {
                    instance = load();
                }
                spec = instance;
            }
        }
        return spec;
    }

    private static FacadeSpec load() {
        try (InputStream in = FacadeSpec.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("The facade's OpenAPI document is missing from the classpath: " + LOCATION);
            }
            return new FacadeSpec(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    public Map<String, Operation> operations() {
        return operations;
    }

    public Operation operation(String id) {
        Operation op = operations.get(id);
        if (op == null) {
            throw new IllegalArgumentException("No such operation in the facade's OpenAPI document: " + id);
        }
        return op;
    }

    /** Follows a local {@code $ref} (one level at a time, as often as needed). */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 16 && current != null && current.has("$ref"); i++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                break;
            }
            current = document.at(ref.substring(1));
        }
        return current;
    }
}
