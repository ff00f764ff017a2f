package io.prefectcamel.mcp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stand-ins for the facade's operation routes ({@code direct:<operationId>}): they record what they received
 * and answer like the real routes (status in CamelHttpResponseCode, Content-Type, body as a String).
 * Add them with {@code context.addRoutes(standIns.routes())}.
 *
 * <p>Not a {@link RouteBuilder} itself: the real service (Camel Main scanning {@code io.prefectcamel}) would find it
 * on the test classpath and start these routes beside the real ones.
 */
public class StandInRoutes {

    public static final List<String> OPERATIONS = List.of("createAccountEvents", "countAccountEvents",
            "readAccountEvents", "readAccountEventsPage", "createWorkspaceEvents", "countWorkspaceEvents",
            "readWorkspaceEvents", "readWorkspaceEventsPage", "getFlowRunEvents", "listTags", "deleteWorkspaceTag");

    public static final String ACCOUNT = "11111111-1111-4111-8111-111111111111";
    public static final String WORKSPACE = "22222222-2222-4222-8222-222222222222";
    public static final String FLOW_RUN = "33333333-3333-4333-8333-333333333333";

    /** What a stand-in received. */
    public record Received(Map<String, Object> headers, String body) {
    }

    /** What a stand-in answers. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers) {
        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }

        public static Reply problem(int status, String title, String detail, String parameter, String retryAfter) {
            String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                    + ",\"detail\":\"" + detail + "\"" + (parameter != null ? ",\"parameter\":\"" + parameter + "\"" : "")
                    + "}";
            return new Reply(status, "application/problem+json", body,
                    retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter));
        }
    }

    public final Map<String, Received> received = new ConcurrentHashMap<>();
    public final Map<String, Function<Exchange, Reply>> overrides = new ConcurrentHashMap<>();

    static String event(String id) {
        return "{\"occurred\":\"2025-06-01T12:00:00Z\",\"event\":\"prefect.flow-run.Completed\","
                + "\"resource\":{\"prefect.resource.id\":\"prefect.flow-run." + FLOW_RUN + "\"},\"related\":[],"
                + "\"payload\":{},\"id\":\"" + id + "\",\"follows\":null,\"account\":\"" + ACCOUNT
                + "\",\"workspace\":\"" + WORKSPACE + "\",\"received\":\"2025-06-01T12:00:01.123456Z\"}";
    }

    static String page(String nextToken, String... ids) {
        StringBuilder events = new StringBuilder();
        for (String id : ids) {
            events.append(events.isEmpty() ? "" : ",").append(event(id));
        }
        String next = nextToken == null ? "null" : "\"http://localhost:8080/v1/api/accounts/" + ACCOUNT
                + "/workspaces/" + WORKSPACE + "/events/filter/next?page-token=" + nextToken + "\"";
        return "{\"events\":[" + events + "],\"total\":3,\"next_page\":" + next + "}";
    }

    Reply defaultReply(String operation, Exchange ex) {
        return switch (operation) {
            case "createAccountEvents", "createWorkspaceEvents", "deleteWorkspaceTag" -> new Reply(204, null, "", Map.of());
            case "countAccountEvents", "countWorkspaceEvents" -> Reply.json(200,
                    "[{\"value\":\"2025-06-01\",\"label\":\"2025-06-01\",\"count\":3,"
                            + "\"start_time\":\"2025-06-01T00:00:00Z\",\"end_time\":\"2025-06-02T00:00:00Z\"}]");
            case "readAccountEvents", "readWorkspaceEvents" -> Reply.json(200, page("tok%2Fen%3D1",
                    "44444444-4444-4444-8444-444444444401", "44444444-4444-4444-8444-444444444402"));
            case "readAccountEventsPage", "readWorkspaceEventsPage" -> Reply.json(200, page(null,
                    "44444444-4444-4444-8444-444444444403"));
            case "getFlowRunEvents" -> "1".equals(ex.getIn().getHeader("If-None-Match", String.class))
                    ? new Reply(304, null, "", Map.of())
                    : Reply.json(200, "[" + event("44444444-4444-4444-8444-444444444405") + "]");
            case "listTags" -> Reply.json(200, "{\"results\":[{\"name\":\"etl\",\"first_seen\":"
                    + "\"2025-06-01T00:00:00Z\",\"last_seen\":\"2025-06-02T00:00:00Z\"}],\"count\":1,\"limit\":50,"
                    + "\"pages\":1,\"page\":1}");
            default -> throw new IllegalArgumentException(operation);
        };
    }

    /** The stand-in routes, to add to a context. */
    public RoutesBuilder routes() {
        return RouteBuilder.loadRoutesBuilder(this::configure);
    }

    private void configure(RouteBuilder builder) {
        for (String op : OPERATIONS) {
            builder.from("direct:" + op).routeId("stand-in-" + op).process(ex -> {
                received.put(op, new Received(new TreeMap<>(ex.getIn().getHeaders()), ex.getIn().getBody(String.class)));
                Function<Exchange, Reply> override = overrides.get(op);
                Reply reply = override != null ? override.apply(ex) : defaultReply(op, ex);
                ex.getMessage().removeHeaders("*");
                ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
                if (reply.contentType() != null) {
                    ex.getMessage().setHeader(Exchange.CONTENT_TYPE, reply.contentType());
                }
                reply.headers().forEach(ex.getMessage()::setHeader);
                ex.getMessage().setBody(reply.body());
            });
        }
    }
}
