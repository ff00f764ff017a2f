package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prefect's administration operations as the facade's OpenAPI document describes them (its {@code admin} toolset):
 * for each, Prefect's method and path ({@code x-prefect-operation}), the request schema the sandbox validates
 * against, the success status and the response schema whose fields it answers. Read once per JVM; only the
 * schemas these operations reach are kept.
 */
final class AdminSpec {

    static final String LOCATION = "openapi/prefect-camel-openapi.yaml";

    /** What an operation does to its resource kind, read from its method and the shape of its path. */
    enum Verb { CREATE, READ, UPDATE, DELETE, FILTER, OTHER }

    /**
     * One operation. {@code segments} is Prefect's path without {@code /api} and the trailing slash, with
     * parameters as {@code {name}}; {@code kind} is the collection the path names (e.g. {@code bots}).
     */
    record Op(String id, String method, List<String> segments, Verb verb, String kind, JsonNode body,
              boolean bodyRequired, int status, JsonNode response) {

        /** Whether the path parameter is the id of a record of the operation's own kind ({@code workspaces/{workspace_id}}). */
        boolean names(String param) {
            int i = segments.indexOf("{" + param + "}");
            return i > 0 && segments.get(i - 1).equals(kind);
        }

        /** The last path parameter: the id of the record the operation is about. */
        String idParam() {
            for (int i = segments.size() - 1; i >= 0; i--) {
                if (isParam(segments.get(i))) {
                    return name(segments.get(i));
                }
            }
            return null;
        }
    }

    /** A matched request: the operation and its path parameters by Prefect's names. */
    record Match(Op op, Map<String, String> params) {
    }

    private static volatile AdminSpec instance;

    private final List<Op> ops;
    private final ObjectNode schemas;
    private final List<String> scopeNames;

    private AdminSpec(JsonNode document) {
        JsonNode all = document.path("components").path("schemas");
        List<Op> list = new ArrayList<>();
        Set<String> reached = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            for (Iterator<Map.Entry<String, JsonNode>> m = paths.next().getValue().fields(); m.hasNext(); ) {
                JsonNode op = m.next().getValue();
                if (!"admin".equals(op.path("x-mcp").path("toolset").asText())) {
                    continue;
                }
                JsonNode prefect = op.path("x-prefect-operation");
                List<String> segments = segments(prefect.path("path").asText());
                String method = prefect.path("method").asText();
                JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
                int status = 200;
                JsonNode response = null;
                for (Iterator<String> codes = op.path("responses").fieldNames(); codes.hasNext(); ) {
                    String code = codes.next();
                    if (code.startsWith("2")) {
                        status = Integer.parseInt(code);
                        JsonNode schema = op.path("responses").path(code).path("content").path("application/json").path("schema");
                        response = schema.isMissingNode() ? null : schema;
                        break;
                    }
                }
                collectRefs(body, all, reached);
                collectRefs(response, all, reached);
                String last = segments.get(segments.size() - 1);
                Verb verb;
                String kind;
                if (last.equals("filter") && method.equals("POST")) {
                    verb = Verb.FILTER;
                    kind = segments.get(segments.size() - 2);
                } else if (isParam(last)) {
                    kind = segments.get(segments.size() - 2);
                    verb = switch (method) {
                        case "GET" -> Verb.READ;
                        case "PATCH", "PUT" -> Verb.UPDATE;
                        case "DELETE" -> Verb.DELETE;
                        default -> Verb.OTHER;
                    };
                } else {
                    kind = last;
                    verb = method.equals("POST") ? Verb.CREATE : Verb.OTHER;
                }
                list.add(new Op(op.path("operationId").asText(), method, segments, verb, kind,
                        body.isMissingNode() ? null : body, op.path("requestBody").path("required").asBoolean(false), status, response));
            }
        }
        // literal segments win over parameters (".../teams/filter" before ".../teams/{id}")
        list.sort((a, b) -> Integer.compare(paramCount(a), paramCount(b)));
        this.ops = List.copyOf(list);
        ObjectNode kept = Json.object();
        reached.add("WorkspaceScopeName");
        reached.add("AccountSettings-Output");
        collectRefs(all.path("AccountSettings-Output"), all, reached);
        for (String name : reached) {
            kept.set(name, lean(all.path(name).deepCopy(), false));
        }
        this.schemas = kept;
        List<String> scopes = new ArrayList<>();
        all.path("WorkspaceScopeName").path("enum").forEach(s -> scopes.add(s.asText()));
        this.scopeNames = List.copyOf(scopes);
    }

    static AdminSpec get() {
        AdminSpec spec = instance;
        if (spec == null) {
            synchronized (AdminSpec.class) {
                if (instance == null) {
                    instance = load();
                }
                spec = instance;
            }
        }
        return spec;
    }

    private static AdminSpec load() {
        try (InputStream in = AdminSpec.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("The facade's OpenAPI document is missing from the classpath: " + LOCATION);
            }
            return new AdminSpec(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Op> ops() {
        return ops;
    }

    Op op(String id) {
        for (Op op : ops) {
            if (op.id.equals(id)) {
                return op;
            }
        }
        throw new IllegalArgumentException("no admin operation " + id);
    }

    /** A schema by name (e.g. {@code WorkspaceRole}). */
    JsonNode schema(String name) {
        JsonNode s = schemas.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no schema " + name);
        }
        return s;
    }

    /** Follows a {@code $ref} (once or more) to the schema it names. */
    JsonNode resolve(JsonNode schema) {
        while (schema != null && schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }

    /** Prefect's workspace scope names, in the document's order. */
    List<String> scopeNames() {
        return scopeNames;
    }

    /**
     * The operation for a request. Null when no admin operation has this path; an {@link ApiException} 405 when
     * one has it with another method.
     */
    Match match(String method, String path) {
        List<String> parts = segments(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Op op : ops) {
            Map<String, String> params = bind(op.segments, parts);
            if (params == null) {
                continue;
            }
            if (op.method.equals(method)) {
                return new Match(op, params);
            }
            allowed.add(op.method);
        }
        if (allowed.isEmpty()) {
            return null;
        }
        throw ApiException.detail(405, "Method Not Allowed").header("Allow", String.join(", ", allowed));
    }

    private static Map<String, String> bind(List<String> template, List<String> parts) {
        if (template.size() != parts.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = parts.get(i);
            if (isParam(t)) {
                if (p.isEmpty()) {
                    return null;
                }
                params.put(name(t), p);
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params;
    }

    /** {@code /api/a/b/} → [a, b]; a path outside {@code /api} has no segments. */
    private static List<String> segments(String path) {
        if (!path.startsWith("/api/")) {
            return List.of();
        }
        String rest = path.substring(5);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return List.of(rest.split("/", -1));
    }

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static String name(String param) {
        return param.substring(1, param.length() - 1);
    }

    private static int paramCount(Op op) {
        int n = 0;
        for (String s : op.segments) {
            n += isParam(s) ? 1 : 0;
        }
        return n;
    }

    /** The schema without the words written for readers (titles, descriptions, examples): most of its size. */
    private static JsonNode lean(JsonNode schema, boolean isPropertyMap) {
        if (schema instanceof ObjectNode o) {
            if (!isPropertyMap) {
                o.remove(List.of("title", "description", "examples", "deprecated"));
            }
            o.fields().forEachRemaining(f -> lean(f.getValue(), !isPropertyMap && f.getKey().equals("properties")));
        } else if (schema.isArray()) {
            schema.forEach(item -> lean(item, false));
        }
        return schema;
    }

    private static void collectRefs(JsonNode node, JsonNode all, Set<String> reached) {
        if (node == null) {
            return;
        }
        Deque<JsonNode> todo = new ArrayDeque<>();
        todo.push(node);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject() && n.has("$ref")) {
                String ref = n.get("$ref").asText();
                String name = ref.substring(ref.lastIndexOf('/') + 1);
                if (reached.add(name)) {
                    todo.push(all.path(name));
                }
            }
            n.forEach(todo::push);
        }
    }
}
