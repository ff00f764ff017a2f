package io.prefectcamel.auth;

import io.prefectcamel.gateway.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of the REST server's Vert.x router. It answers OPTIONS itself (platform-http would echo the
 * request's headers and query parameters as response headers), adds CORS headers only for the origins of
 * {@code facade.cors.allowed-origins}, and refuses a call under {@code /v1/api/} without valid credentials (401)
 * before its body is read. The caller it found travels with the request as its Vert.x user (platform-http hands
 * that to the route as a header no client can send), so the operation route checks the caller's scope for the
 * operation ({@link CallerAuth#check}) without verifying the credential a second time.
 */
final class RestEdge implements Handler<RoutingContext> {

    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, If-None-Match, X-Request-Id";
    static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After, WWW-Authenticate, ETag";

    private final CallerAuth auth;
    private final String mcpPath;

    RestEdge(CallerAuth auth, String mcpPath) {
        this.auth = auth;
        this.mcpPath = mcpPath;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        String path = req.path();
        if (path == null || path.equals(mcpPath) || path.startsWith(mcpPath + "/") || path.startsWith("/.well-known/")) {
            rc.next(); // the MCP endpoint (on a shared port) checks its callers itself
            return;
        }
        HttpServerResponse res = rc.response();
        String origin = req.getHeader("Origin");
        boolean cors = auth.settings().corsAllows(origin);
        if (HttpMethod.OPTIONS.equals(req.method())) {
            res.putHeader("Allow", ALLOWED_METHODS);
            if (cors) {
                res.putHeader("Access-Control-Allow-Origin", origin)
                        .putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
                        .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                        .putHeader("Access-Control-Max-Age", "600");
            }
            res.putHeader("Vary", "Origin").setStatusCode(204).end();
            return;
        }
        if (cors) {
            res.putHeader("Access-Control-Allow-Origin", origin)
                    .putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS)
                    .putHeader("Vary", "Origin");
        }
        if (path.startsWith("/v1/api/")) {
            CallerAuth.Outcome outcome = auth.authenticate(req.getHeader("Authorization"));
            if (!outcome.ok()) {
                res.setStatusCode(401)
                        .putHeader("Content-Type", Problems.CONTENT_TYPE)
                        .putHeader("WWW-Authenticate", auth.challenge(outcome.presented(), null))
                        .putHeader("Cache-Control", "no-store")
                        .end(Problems.body(401, "Unauthorized", outcome.refusal(), null, path));
                return;
            }
            if (outcome.caller() != null) {
                rc.setUser(CallerAuth.asUser(outcome.caller()));
            }
        }
        rc.next();
    }
}
