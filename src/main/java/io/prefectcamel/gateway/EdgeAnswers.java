package io.prefectcamel.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.apache.camel.spi.RestRegistry;
import org.apache.camel.support.RestConsumerContextPathMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers platform-http's Vert.x server gives on its own, made RFC 9457 problems like the facade's other refusals:
 * <ul>
 * <li>a body over {@code camel.server.max-body-size}: {@code 413} (Vert.x: plain text, no Content-Type);</li>
 * <li>a request before the routes serve (the port opens about half a second before the REST routes are registered),
 * or while they stop: {@code 503} with {@code Retry-After: 1} (Vert.x: HTML {@code 404});</li>
 * <li>once started, a path (or method) that no operation of the facade and no other route has: {@code 404} (or
 * {@code 405} with {@code Allow}), where the contract-first REST consumer would answer an empty body.</li>
 * </ul>
 * Declared as a bean (routes/rest-api.camel.yaml), so it works wherever the routes run: the service, the tests and
 * {@code camel run}. It installs itself on every platform-http Vert.x server of its Camel context when that server
 * creates its start-up executor, which happens after the server's router exists and before the port opens.
 * <p>
 * It never takes a request another route would serve: a request goes on unless no route but the catch-all REST
 * consumer ({@code /*}) matches its path and method and no REST operation matches either. {@code OPTIONS} requests
 * after start-up are left to platform-http as they are.
 */
public final class EdgeAnswers implements CamelContextAware, ExecutorServiceManager.ThreadFactoryListener {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAnswers.class);
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final int MAX_INSTANCE_CHARS = 256;

    private CamelContext context;
    private final Set<VertxPlatformHttpServer> servers = ConcurrentHashMap.newKeySet();
    private volatile RestPaths restPaths;

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
        if (path.startsWith("/v1/api/")) {
            // answers of the facade's operations may hold secrets (a new bot's key): no cache may keep them. Set on
            // the Vert.x response, since platform-http's header filter drops a route's Cache-Control.
            ctx.addHeadersEndHandler(v -> ctx.response().headers().set("Cache-Control", "no-store"));
        }
        Set<String> allowed = new LinkedHashSet<>();
        if (otherRouteServes(router, own, method, path, allowed)) {
            ctx.next();
            return;
        }
        if (!ready()) {
            ctx.response().putHeader("Retry-After", "1");
            answer(ctx, 503, "Service starting", "The service is not ready to serve " + method
                    + " requests yet (it is starting or stopping); retry in a second. Nothing was sent to Prefect.");
            return;
        }
        if ("OPTIONS".equals(method)) {
            ctx.next();
            return;
        }
        RestPaths rest = restPaths();
        if (rest.isEmpty()) {
            ctx.next();
            return;
        }
        if (rest.quicklyMatches(method, path) || rest.matches(method, path)) {
            ctx.next();
            return;
        }
        for (String m : METHODS) {
            if (rest.matches(m, path)) {
                allowed.add(m);
            }
        }
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
     * Whether a route other than this one and the catch-all REST consumer takes this request. Routes whose path is a
     * pattern cannot be checked through Vert.x's API, so they are taken to match (the request goes on).
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
                    continue; // the catch-all: the contract-first REST consumer
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

    private RestPaths restPaths() {
        RestRegistry registry = context.getRestRegistry();
        int size = registry == null ? 0 : registry.size();
        RestPaths current = restPaths;
        if (current == null || current.size != size) {
            current = new RestPaths(registry, size);
            restPaths = current;
        }
        return current;
    }

    /** The REST DSL's operations, matched the way the REST consumers match them. */
    private static final class RestPaths {

        private final int size;
        private final List<RestConsumerContextPathMatcher.ConsumerPath<Object>> paths = new ArrayList<>();
        private final List<String[]> segments = new ArrayList<>();

        RestPaths(RestRegistry registry, int size) {
            this.size = size;
            if (registry == null) {
                return;
            }
            for (RestRegistry.RestService s : registry.listAllRestServices()) {
                String path = pathOf(s.getUrl());
                if (path != null) {
                    paths.add(new Path(s.getMethod(), path));
                    segments.add(segments(path));
                }
            }
        }

        /** The path of a REST service's URL ({@code http://0.0.0.0:8080//v1/api/...}): the same for both REST DSLs. */
        static String pathOf(String url) {
            if (url == null) {
                return null;
            }
            String path = url;
            int scheme = path.indexOf("://");
            if (scheme >= 0) {
                int slash = path.indexOf('/', scheme + 3);
                path = slash < 0 ? "/" : path.substring(slash);
            }
            int query = path.indexOf('?');
            if (query >= 0) {
                path = path.substring(0, query);
            }
            path = path.replaceAll("/{2,}", "/");
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return path.startsWith("/") ? path : "/" + path;
        }

        boolean isEmpty() {
            return paths.isEmpty();
        }

        /** Camel's own matching, as the REST consumers do it (about 13 µs for the facade's 13 operations). */
        boolean matches(String method, String path) {
            return RestConsumerContextPathMatcher.matchBestPath(method, path, paths) != null;
        }

        /**
         * A quick check for the usual request (well under a microsecond): the same method and, segment by segment,
         * the same literal or any value for a {@code {parameter}}. Only a yes counts: a no is asked of
         * {@link #matches}, so nothing the REST consumers would take is refused.
         */
        boolean quicklyMatches(String method, String path) {
            String[] request = segments(path);
            for (int i = 0; i < segments.size(); i++) {
                String[] template = segments.get(i);
                if (template.length == request.length && method.equalsIgnoreCase(paths.get(i).getRestrictMethod())
                        && sameSegments(template, request)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameSegments(String[] template, String[] request) {
            for (int j = 0; j < template.length; j++) {
                String t = template[j];
                boolean parameter = t.startsWith("{") && t.endsWith("}");
                if (!parameter && !t.equals(request[j])) {
                    return false;
                }
            }
            return true;
        }

        private static String[] segments(String path) {
            return Arrays.stream(path.split("/")).filter(seg -> !seg.isEmpty()).toArray(String[]::new);
        }
    }

    private record Path(String method, String path) implements RestConsumerContextPathMatcher.ConsumerPath<Object> {

        @Override
        public String getRestrictMethod() {
            return method;
        }

        @Override
        public String getConsumerPath() {
            return path;
        }

        @Override
        public Object getConsumer() {
            return path;
        }

        @Override
        public boolean isMatchOnUriPrefix() {
            return false;
        }
    }
}
