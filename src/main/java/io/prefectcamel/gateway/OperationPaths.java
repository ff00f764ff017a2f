package io.prefectcamel.gateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The facade's operations by method and path, from its OpenAPI document: which operation a REST request is, and the
 * values of its path parameters. The REST route (routes/rest-api.camel.yaml) asks it once per request and sends the
 * request on to that operation's route, {@code direct:<operationId>}; {@link EdgeAnswers} asks it which requests get
 * a 404 or 405 before any route sees them.
 *
 * <p>Matching is segment by segment: a literal segment must be equal, a {@code {parameter}} takes any one segment. Where
 * two operations take a request (a literal and a parameter at the same place), the one with fewer parameters wins,
 * then the one first in the document, as Camel's REST matching chooses. It costs well under a microsecond for the
 * facade's operations, where matching every path of the document as Camel's contract-first REST consumer does took
 * about a fifth of a request's time.
 */
public final class OperationPaths {

    /** The exchange property with the endpoint of the matched operation's route. */
    public static final String ROUTE = "prefect.route";
    /** The exchange property with the methods a 405 answer names in its Allow header. */
    public static final String ALLOW = "prefect.allow";

    private static volatile OperationPaths instance;

    /** One operation's path: its segments, where each parameter is, and its route. */
    record Template(String method, String operationId, String route, String[] segments, String[] parameters,
                    int parameterCount) {
    }

    /** A request matched to an operation, with its path parameters by name. */
    public record Match(String operationId, String route, Map<String, String> parameters) {
    }

    /** Templates by segment count: a request is only compared with paths as long as its own. */
    private final List<List<Template>> bySegments;

    OperationPaths(Iterable<FacadeSpec.Operation> operations) {
        List<List<Template>> lists = new ArrayList<>();
        for (FacadeSpec.Operation op : operations) {
            String[] segments = split(op.path());
            String[] parameters = new String[segments.length];
            int count = 0;
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.length() > 2 && s.startsWith("{") && s.endsWith("}")) {
                    parameters[i] = s.substring(1, s.length() - 1);
                    count++;
                }
            }
            while (lists.size() <= segments.length) {
                lists.add(new ArrayList<>());
            }
            lists.get(segments.length).add(new Template(op.method(), op.id(), "direct:" + op.id(), segments,
                    parameters, count));
        }
        List<List<Template>> frozen = new ArrayList<>();
        for (List<Template> l : lists) {
            frozen.add(List.copyOf(l));
        }
        this.bySegments = Collections.unmodifiableList(frozen);
    }

    /** The facade's operations, built once from its OpenAPI document. */
    public static OperationPaths get() {
        OperationPaths paths = instance;
        if (paths == null) {
            synchronized (OperationPaths.class) {
                if (instance == null) {
                    instance = new OperationPaths(FacadeSpec.get().operations().values());
                }
                paths = instance;
            }
        }
        return paths;
    }

    /** The operation that takes this method and path (query string excluded), or null. */
    public Match match(String method, String path) {
        String[] request = split(path);
        Template t = find(method, request);
        return t == null ? null : new Match(t.operationId(), t.route(), parameters(t, request));
    }

    /** Whether an operation takes this method and path. */
    public boolean serves(String method, String path) {
        return find(method, split(path)) != null;
    }

    /** Whether the facade has an operation at this path, with any method. */
    public boolean hasPath(String path) {
        String[] request = split(path);
        if (request.length < bySegments.size()) {
            for (Template t : bySegments.get(request.length)) {
                if (literalsMatch(t, request)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The methods the facade takes at this path, in the order of the document; empty if it has no such path. */
    public Set<String> methodsAt(String path) {
        String[] request = split(path);
        Set<String> methods = new LinkedHashSet<>();
        if (request.length < bySegments.size()) {
            for (Template t : bySegments.get(request.length)) {
                if (literalsMatch(t, request)) {
                    methods.add(t.method());
                }
            }
        }
        return methods;
    }

    /**
     * For the REST route: the request's operation becomes the property {@link #ROUTE} and its path parameters the
     * headers named as in the document (whatever headers of those names the caller sent are replaced). A request no
     * operation takes (EdgeAnswers answers those before they reach the route) is a 404 or 405 problem.
     */
    public void route(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String[] request = split(path == null ? "" : path);
        Template t = method == null ? null : find(method, request);
        if (t == null) {
            exchange.setProperty(Gateway.FACADE_PATH, path);
            Set<String> allowed = methodsAt(path == null ? "" : path);
            if (allowed.isEmpty()) {
                throw new InvalidRequestException(404, null, "The facade has no operation at this path; its"
                        + " operations are described at /v1/openapi.json. Nothing was sent to Prefect.");
            }
            exchange.setProperty(ALLOW, String.join(",", allowed));
            throw new InvalidRequestException(405, null, "The facade does not accept " + method + " here; it accepts "
                    + String.join(", ", allowed) + ". Nothing was sent to Prefect.");
        }
        String[] names = t.parameters();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                in.setHeader(names[i], request[i]);
            }
        }
        exchange.setProperty(ROUTE, t.route());
    }

    private Template find(String method, String[] request) {
        if (request.length >= bySegments.size()) {
            return null;
        }
        Template best = null;
        for (Template t : bySegments.get(request.length)) {
            if (t.method().equalsIgnoreCase(method) && literalsMatch(t, request)
                    && (best == null || t.parameterCount() < best.parameterCount())) {
                best = t;
                if (best.parameterCount() == 0) {
                    break;
                }
            }
        }
        return best;
    }

    private static boolean literalsMatch(Template t, String[] request) {
        String[] segments = t.segments();
        String[] parameters = t.parameters();
        for (int i = segments.length - 1; i >= 0; i--) {
            if (parameters[i] == null && !segments[i].equals(request[i])) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> parameters(Template t, String[] request) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] names = t.parameters();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                values.put(names[i], request[i]);
            }
        }
        return values;
    }

    /**
     * The segments of a path without its leading and trailing slashes; a segment between two slashes in a row is
     * empty (and so matches a parameter, whose empty value the operation then refuses as missing).
     */
    static String[] split(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        if (start == end) {
            return new String[0];
        }
        int count = 1;
        for (int i = start; i < end; i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] segments = new String[count];
        int n = 0;
        int from = start;
        for (int i = start; i < end; i++) {
            if (path.charAt(i) == '/') {
                segments[n++] = path.substring(from, i);
                from = i + 1;
            }
        }
        segments[n] = path.substring(from, end);
        return segments;
    }
}
