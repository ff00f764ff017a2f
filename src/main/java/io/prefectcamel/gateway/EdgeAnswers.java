package io.prefectcamel.gateway;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.ExecutorServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers platform-http's Vert.x server gives on its own, made RFC 9457 problems like the facade's other refusals:
 * <ul>
 * <li>a body over {@code camel.server.max-body-size}: {@code 413} (Vert.x: plain text, no Content-Type);</li>
 * <li>a request before the routes serve (the port opens about half a second before the REST routes are registered),
 * or while they stop: {@code 503} with {@code Retry-After: 1} (Vert.x: HTML {@code 404});</li>
 * <li>once started, a path (or method) that no operation of the facade ({@link OperationPaths}) and no other route
 * has: {@code 404} (or {@code 405} with {@code Allow}), where Vert.x would answer HTML.</li>
 * </ul>
 * Declared as a bean (routes/rest-api.camel.yaml), so it works wherever the routes run: the service, the tests and
 * {@code camel run}. It installs itself on every platform-http Vert.x server of its Camel context when that server
 * creates its start-up executor, which happens after the server's router exists and before the port opens.
 * <p>
 * It never takes a request another route would serve: at the facade's paths ({@code /v1/api/...} and those of its
 * OpenAPI document) a request goes on when an operation takes it, elsewhere when a route's path and method match.
 * {@code OPTIONS} requests after start-up are left to the routes as they are.
 */
public final class EdgeAnswers implements CamelContextAware, ExecutorServiceManager.ThreadFactoryListener {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAnswers.class);
    private static final String FACADE_ROOT = "/v1/api";
    private static final String FACADE_PREFIX = FACADE_ROOT + "/";
    private static final int MAX_INSTANCE_CHARS = 256;

    private CamelContext context;
    private final Set<VertxPlatformHttpServer> servers = ConcurrentHashMap.newKeySet();

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        if (camelContext == null || camelContext == context) {
            return;
        }
        this.context = camelContext;
        camelContext.getExecutorServiceManager().addThreadFactoryListener(this);
        try {
            camelContext.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                    // servers started before this bean existed (not the case in Camel Main or camel run): late, not never
                    ctx.getRegistry().findByType(VertxPlatformHttpRouter.class).forEach(r -> install(r.getServer()));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Could not listen for the start of " + camelContext.getName(), e);
        }
    }

    /** platform-http's server asks for its start-up executor after making its router and before it listens. */
    @Override
    public ThreadFactory onNewThreadFactory(Object source, ThreadFactory factory) {
        if (source instanceof VertxPlatformHttpServer server) {
            install(server);
        }
        return factory;
    }

    private void install(VertxPlatformHttpServer server) {
        if (server == null || context == null || !servers.add(server)) {
            return;
        }
        VertxPlatformHttpRouter router = null;
        for (VertxPlatformHttpRouter r : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (r.getServer() == server) {
                router = r;
            }
        }
        if (router == null) {
            servers.remove(server);
            LOG.warn("No router found for the platform-http server on port {}: Vert.x's own 404/413 answers stay",
                    server.getConfigurationPort());
            return;
        }
        Route own = router.route().order(Integer.MIN_VALUE);
        Long limit = server.getMaxBodySize();
        VertxPlatformHttpRouter routes = router;
        own.handler(ctx -> gate(ctx, routes, own)).failureHandler(ctx -> failed(ctx, limit));
        LOG.debug("Problem answers for start-up, unknown paths and bodies over {} bytes on port {}", limit,
                server.getConfigurationPort());
    }

    /** The context is Started once every route is (before its start-up listeners hear it is fully started). */
    private boolean ready() {
        CamelContext ctx = context;
        return ctx != null && ctx.getStatus() == ServiceStatus.Started;
    }

    private void gate(RoutingContext ctx, VertxPlatformHttpRouter router, Route own) {
        String method = ctx.request().method().name();
        String path = ctx.normalizedPath();
        OperationPaths operations = OperationPaths.get();
        boolean api = path.startsWith(FACADE_PREFIX) || path.equals(FACADE_ROOT);
        if (api) {
            // answers of the facade's operations may hold secrets (a new bot's key): no cache may keep them. Set on
            // the Vert.x response, since platform-http's header filter drops a route's Cache-Control.
            ctx.addHeadersEndHandler(v -> ctx.response().headers().set("Cache-Control", "no-store"));
        }
        if (api || operations.hasPath(path)) {
            if (!ready()) {
                starting(ctx, method);
            } else if ("OPTIONS".equals(method) || operations.serves(method, path)) {
                ctx.next();
            } else {
                refuse(ctx, method, path, operations.methodsAt(path));
            }
            return;
        }
        Set<String> allowed = new LinkedHashSet<>();
        if (otherRouteServes(router, own, method, path, allowed)) {
            ctx.next();
        } else if (!ready()) {
            starting(ctx, method);
        } else if ("OPTIONS".equals(method)) {
            ctx.next();
        } else {
            refuse(ctx, method, path, allowed);
        }
    }

    private static void starting(RoutingContext ctx, String method) {
        ctx.response().putHeader("Retry-After", "1");
        answer(ctx, 503, "Service starting", "The service is not ready to serve " + method
                + " requests yet (it is starting or stopping); retry in a second. Nothing was sent to Prefect.");
    }

    private static void refuse(RoutingContext ctx, String method, String path, Set<String> allowed) {
        if (allowed.isEmpty()) {
            answer(ctx, 404, "Not found", "The facade has no operation at " + shorten(path)
                    + "; its operations are described at /v1/openapi.json. Nothing was sent to Prefect.");
        } else {
            ctx.response().putHeader("Allow", String.join(",", allowed));
            answer(ctx, 405, "Method not allowed", "The facade does not accept " + method + " at " + shorten(path)
                    + "; it accepts " + String.join(", ", allowed) + ". Nothing was sent to Prefect.");
        }
    }

    /**
     * Whether a route other than this one takes this request (the facade's own paths are asked of OperationPaths
     * before). Routes whose path is a pattern cannot be checked through Vert.x's API, so they are taken to match (the
     * request goes on).
     */
    private static boolean otherRouteServes(VertxPlatformHttpRouter router, Route own, String method, String path,
                                            Set<String> allowed) {
        for (Route r : router.getRoutes()) {
            if (r == own) {
                continue;
            }
            String p = r.getPath();
            boolean matches;
            if (r.isRegexPath()) {
                matches = true;
            } else if (p == null) {
                continue; // a handler for every request (CORS, sessions): it passes requests on
            } else if (r.isExactPath()) {
                matches = path.equals(p) || path.equals(p + "/") || (p.endsWith("/") && path.equals(p.substring(0, p.length() - 1)));
            } else {
                if ("/".equals(p)) {
                    continue; // a catch-all of every path: it cannot tell which ones it serves
                }
                matches = path.startsWith(p);
            }
            if (matches) {
                Set<HttpMethod> methods = r.methods();
                if (methods == null || methods.isEmpty() || methods.stream().anyMatch(m -> m.name().equals(method))) {
                    return true;
                }
                methods.forEach(m -> allowed.add(m.name()));
            }
        }
        return false;
    }

    private void failed(RoutingContext ctx, Long limit) {
        if (ctx.statusCode() == 413 && !ctx.response().ended() && !ctx.response().headWritten()) {
            String size = limit != null && limit > 0 ? limit + " bytes (" + mebibytes(limit) + ")" : "the server's limit";
            answer(ctx, 413, "Body too large", "The request body is over " + size
                    + ", the most this service takes (camel.server.max-body-size), so it was refused and nothing was"
                    + " sent to Prefect. Prefect accepts at most 5 MiB: split the events into smaller batches.");
            return;
        }
        ctx.next();
    }

    private static String mebibytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }

    private static void answer(RoutingContext ctx, int status, String title, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        String given = ctx.request().getHeader(Gateway.REQUEST_ID_HEADER);
        String requestId = Gateway.requestId(given);
        response.setStatusCode(status)
                .putHeader("Content-Type", Problems.CONTENT_TYPE)
                .putHeader("Cache-Control", "no-store")
                .putHeader(Gateway.REQUEST_ID_HEADER, requestId)
                .end(Problems.body(status, title, detail, null, shorten(ctx.normalizedPath())));
    }

    private static String shorten(String path) {
        return path.length() <= MAX_INSTANCE_CHARS ? path : path.substring(0, MAX_INSTANCE_CHARS) + "...";
    }
}
