package io.prefectcamel.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.prefectcamel.gateway.FacadeSpec;
import io.prefectcamel.gateway.Problems;
import io.vertx.ext.auth.User;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call: one component for the REST facade and the MCP server. It checks a caller's bearer credential (a
 * token of the token store, or a JWT) and, for each operation, the scope the facade's document names for it, the
 * account/workspace restrictions, and the caller's rate and concurrency limits, before anything reaches Prefect.
 *
 * <p>Where it runs: {@link #check(Exchange)} is a step of every operation route (routes/operation-templates.camel.yaml),
 * which both REST and MCP calls go through; MCP hands over the caller it authenticated as the exchange property
 * {@link #CALLER}, REST calls bring their {@code Authorization} header. A Vert.x handler in front of the REST routes
 * ({@link RestEdge}) answers OPTIONS and CORS and refuses missing or bad credentials before a body is read.
 */
public class CallerAuth extends ServiceSupport implements CamelContextAware {

    /** Exchange property: the {@link Caller} of the exchange. */
    public static final String CALLER = "facade.caller";
    /** Exchange property: set once the caller's call was counted against its limits. */
    static final String ADMITTED = "facade.caller.admitted";
    /** Exchange property: the problem detail when the caller was refused. */
    public static final String REFUSED = "facade.caller.refused";

    private static final Logger LOG = LoggerFactory.getLogger(CallerAuth.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("io.prefectcamel.audit");

    private CamelContext camelContext;
    private volatile AuthSettings settings;
    private volatile TokenStore store = TokenStore.empty();
    private volatile byte[] storeBytes;
    private volatile String storeProblem;
    private JwtVerifier jwt;
    private ScheduledExecutorService watcher;
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUse = new ConcurrentHashMap<>();
    private volatile boolean edgeInstalled;

    /** The context's CallerAuth: the one of the registry (routes/operation-templates.camel.yaml), or a new one. */
    public static CallerAuth of(CamelContext context) {
        CallerAuth found = context.getRegistry().findSingleByType(CallerAuth.class);
        if (found != null) {
            return found;
        }
        synchronized (CallerAuth.class) {
            found = context.getRegistry().findSingleByType(CallerAuth.class);
            if (found == null) {
                found = new CallerAuth();
                context.getRegistry().bind("callerAuth", found);
                found.setCamelContext(context);
            }
            return found;
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        if (this.camelContext == camelContext) {
            return;
        }
        this.camelContext = camelContext;
        try {
            camelContext.addService(this, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the callers' authentication", e);
        }
    }

    public AuthSettings settings() {
        if (settings == null) {
            start();
        }
        return settings;
    }

    @Override
    protected void doStart() throws Exception {
        CallerAuth registered = camelContext.getRegistry().findSingleByType(CallerAuth.class);
        if (registered != null && registered != this) {
            // route loading may make the YAML bean more than once: only the one the registry holds does the work
            LOG.debug("Another CallerAuth is the registry's: this one stays idle");
            return;
        }
        AuthSettings s = AuthSettings.from(camelContext);
        switch (s.mode()) {
            case NONE -> {
                if (s.keyConfigured()) {
                    LOG.warn("facade.auth.mode=none: callers are NOT authenticated. Anyone who reaches the REST port or"
                            + " the MCP endpoint calls Prefect with the service's key. Use facade.auth.mode=tokens or jwt.");
                } else {
                    LOG.info("Callers are not authenticated (facade.auth.mode=none; no Prefect key, the sandbox)");
                }
            }
            case TOKENS -> {
                reload(s);
                watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "token-store-watcher");
                    t.setDaemon(true);
                    return t;
                });
                watcher.scheduleWithFixedDelay(() -> reload(s), 1, 1, TimeUnit.SECONDS);
                watcher.scheduleWithFixedDelay(() -> writeLastUse(s), 5, 5, TimeUnit.SECONDS);
                LOG.info("Callers authenticate with tokens of {} ({} tokens){}", s.tokensFile(), store.entries().size(),
                        s.explicit() ? "" : " (the default with a Prefect key; create one with `java -jar"
                                + " target/prefect-camel.jar tokens create --name NAME --scopes events:read`)");
            }
            case JWT -> {
                if (s.jwks().isEmpty() || s.issuer().isEmpty() || s.audience().isEmpty()) {
                    throw new IllegalArgumentException("facade.auth.mode=jwt needs facade.auth.jwt.jwks,"
                            + " facade.auth.jwt.issuer and facade.auth.jwt.audience");
                }
                jwt = new JwtVerifier(s.jwks(), s.issuer(), s.audience());
                LOG.info("Callers authenticate with JWTs of issuer {} for audience {} (keys: {})", s.issuer(),
                        s.audience(), s.jwks());
            }
        }
        settings = s;
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                installEdge();
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                installEdge();
            }
        });
        installEdge();
    }

    @Override
    protected void doStop() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    /** Puts {@link RestEdge} in front of the REST routes, once platform-http's router exists. */
    private synchronized void installEdge() {
        if (edgeInstalled || camelContext == null) {
            return;
        }
        String port = camelContext.getPropertiesComponent().resolveProperty("camel.server.port").orElse("8080").trim();
        VertxPlatformHttpRouter router = null;
        try {
            router = VertxPlatformHttpRouter.lookup(camelContext,
                    VertxPlatformHttpRouter.getRouterNameFromPort(Integer.parseInt(port)));
        } catch (RuntimeException e) {
            LOG.debug("No platform-http router for port {}: {}", port, e.getMessage());
        }
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(camelContext);
        }
        if (router == null) {
            return;
        }
        String mcpPath = camelContext.getPropertiesComponent().resolveProperty("mcp.path").orElse("/mcp").trim();
        router.route().order(-1000).handler(new RestEdge(this, mcpPath));
        edgeInstalled = true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the token store

    private void reload(AuthSettings s) {
        try {
            byte[] content = Files.exists(s.tokensFile()) ? Files.readAllBytes(s.tokensFile()) : null;
            if (content == null) {
                if (storeBytes != null || storeProblem == null) {
                    LOG.warn("The token store {} does not exist: every caller is refused until a token is created"
                            + " (java -jar target/prefect-camel.jar tokens create ...)", s.tokensFile());
                }
                store = TokenStore.empty();
                storeBytes = null;
                storeProblem = "missing";
                return;
            }
            if (storeBytes != null && Arrays.equals(content, storeBytes)) {
                return;
            }
            TokenStore next = TokenStore.parse(content);
            boolean first = storeBytes == null;
            store = next;
            storeBytes = content;
            storeProblem = null;
            if (!first) {
                LOG.info("Token store {} reloaded: {} tokens", s.tokensFile(), next.entries().size());
            }
        } catch (IOException | RuntimeException e) {
            String problem = e.getClass().getSimpleName();
            if (!problem.equals(storeProblem)) {
                LOG.warn("Cannot read the token store {} ({}): serving with the tokens read before ({})",
                        s.tokensFile(), problem, store.entries().size());
            }
            storeProblem = problem;
        }
    }

    /** Where the service notes when each token was last used: beside the store. */
    static java.nio.file.Path lastUseFile(java.nio.file.Path store) {
        return store.resolveSibling(store.getFileName() + ".last-used");
    }

    private volatile Map<String, Instant> lastUseWritten = Map.of();
    private volatile boolean lastUseUnwritable;

    /** Best effort: a read-only mount (a Secret) simply has no last-use file. */
    private void writeLastUse(AuthSettings s) {
        Map<String, Instant> now = Map.copyOf(lastUse);
        if (now.equals(lastUseWritten) || lastUseUnwritable) {
            return;
        }
        Map<String, String> out = new java.util.TreeMap<>();
        now.forEach((k, v) -> out.put(k, v.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        try {
            java.nio.file.Path f = lastUseFile(s.tokensFile());
            java.nio.file.Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.write(tmp, TokenStore.JSON.writeValueAsBytes(out));
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            lastUseWritten = now;
        } catch (IOException | RuntimeException e) {
            lastUseUnwritable = true;
            LOG.info("Last use of tokens is kept in memory only ({} cannot be written)", lastUseFile(s.tokensFile()));
        }
    }

    /** When each token (by name) was last used by this process; best effort, in memory. */
    public Map<String, Instant> lastUse() {
        return Map.copyOf(lastUse);
    }

    // ---------------------------------------------------------------------------------------------------------
    // authentication and authorization

    /** A checked credential: its caller, or why it was refused. */
    public record Outcome(Caller caller, String refusal, boolean presented) {
        public boolean ok() {
            return caller != null;
        }
    }

    /** Checks the value of an {@code Authorization} header (null when there is none). */
    public Outcome authenticate(String authorization) {
        AuthSettings s = settings();
        if (s.mode() == AuthSettings.Mode.NONE) {
            return new Outcome(Caller.ANONYMOUS, null, authorization != null);
        }
        if (authorization == null || authorization.isBlank()) {
            return new Outcome(null, "No credentials: send 'Authorization: Bearer <token>'.", false);
        }
        String v = authorization.trim();
        if (v.length() < 8 || !v.substring(0, 7).equalsIgnoreCase("bearer ")) {
            return new Outcome(null, "Malformed credentials: the Authorization header must be 'Bearer <token>'.", true);
        }
        String credential = v.substring(7).trim();
        if (s.mode() == AuthSettings.Mode.TOKENS) {
            TokenStore.Verdict verdict = store.verify(credential, Instant.now());
            if (verdict instanceof TokenStore.Verdict.Valid valid) {
                lastUse.put(valid.entry().name(), Instant.now());
                Caller c = valid.caller();
                return new Outcome(c, null, true);
            }
            return new Outcome(null, "The token was refused (" + ((TokenStore.Verdict.Refused) verdict).reason() + ").", true);
        }
        try {
            return new Outcome(jwt.verify(credential, s), null, true);
        } catch (JwtVerifier.Refused e) {
            return new Outcome(null, "The token was refused (" + e.getMessage() + ").", true);
        }
    }

    /** The scope an operation needs (from the facade's document). */
    public String scopeOf(String operationId) {
        return Scopes.of(FacadeSpec.get().operation(operationId).node());
    }

    /** True when the caller holds the scope (callers that are not authenticated may do everything). */
    public boolean allows(Caller caller, String scope) {
        return caller.anonymous() || caller.has(scope);
    }

    /**
     * Why the caller may not call the operation on this account/workspace, or null. A caller restricted to accounts
     * may call only operations with an account id among them (not /me or /users operations, which are not tied to
     * one account); restricted to workspaces, only operations with a workspace id among them (not account-wide ones).
     */
    public String restriction(Caller caller, String operationId, String account, String workspace) {
        if (caller.anonymous()) {
            return null;
        }
        FacadeSpec.Operation op = FacadeSpec.get().operation(operationId);
        boolean hasAccount = op.parameters().stream().anyMatch(p -> p.name().equals("account-id"));
        boolean hasWorkspace = op.parameters().stream().anyMatch(p -> p.name().equals("workspace-id"));
        if (!caller.accounts().isEmpty()) {
            if (!hasAccount) {
                return "This credential is restricted to some accounts; " + operationId
                        + " is not an operation of one account.";
            }
            if (account == null || !caller.accounts().contains(account.trim().toLowerCase())) {
                return "This credential may not access account " + safe(account) + ".";
            }
        }
        if (!caller.workspaces().isEmpty()) {
            if (!hasWorkspace) {
                return "This credential is restricted to some workspaces; " + operationId
                        + " is not an operation of one workspace.";
            }
            if (workspace == null || !caller.workspaces().contains(workspace.trim().toLowerCase())) {
                return "This credential may not access workspace " + safe(workspace) + ".";
            }
        }
        return null;
    }

    /** The {@code WWW-Authenticate} value of a 401 (with the RFC 9728 metadata URL when there is one). */
    public String challenge(boolean presented, String resourceMetadata) {
        StringBuilder b = new StringBuilder("Bearer realm=\"prefect-camel\"");
        if (resourceMetadata != null) {
            b.append(", resource_metadata=\"").append(resourceMetadata).append('"');
        }
        if (presented) {
            b.append(", error=\"invalid_token\"");
        }
        return b.toString();
    }

    /** The attribute of a Vert.x user that holds the caller RestEdge authenticated. */
    private static final String USER_CALLER = "prefect.caller";

    /** The caller as the Vert.x user of its request: platform-http hands it to the route (AUTHENTICATED_USER). */
    static User asUser(Caller caller) {
        return User.create(new io.vertx.core.json.JsonObject(),
                new io.vertx.core.json.JsonObject().put(USER_CALLER, caller));
    }

    /**
     * The step at the top of every operation route: the caller (handed over by MCP, or from the Authorization
     * header), its scope for the operation, its restrictions and its limits. A refusal answers a problem document
     * (401, 403, 415 or 429) and stops the route, so nothing reaches Prefect; the Authorization header is removed.
     */
    public void check(Exchange exchange) {
        Message in = exchange.getMessage();
        String operation = exchange.getProperty("prefect.operation", String.class);
        Caller caller = exchange.getProperty(CALLER, Caller.class);
        String authorization = in.getHeader("Authorization", String.class);
        in.removeHeader("Authorization");
        Object edgeUser = in.removeHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER);
        if (caller == null && edgeUser instanceof User user
                && user.attributes().getValue(USER_CALLER) instanceof Caller found) {
            // authenticated by the REST server's edge handler (RestEdge) for this very request
            caller = found;
            exchange.setProperty(CALLER, caller);
        }
        if (caller == null) {
            Outcome outcome = authenticate(authorization);
            if (!outcome.ok()) {
                refuse(exchange, 401, "Unauthorized", outcome.refusal(), null, operation);
                in.setHeader("WWW-Authenticate", challenge(outcome.presented(), null));
                return;
            }
            caller = outcome.caller();
            exchange.setProperty(CALLER, caller);
        }
        String scope = scopeOf(operation);
        if (!allows(caller, scope)) {
            refuse(exchange, 403, "Forbidden", "This credential lacks the scope " + (scope == null ? "(none defined)"
                    : scope) + " that " + operation + " needs.", caller, operation);
            return;
        }
        String restricted = restriction(caller, operation, in.getHeader("account-id", String.class),
                in.getHeader("workspace-id", String.class));
        if (restricted != null) {
            refuse(exchange, 403, "Forbidden", restricted, caller, operation);
            return;
        }
        if (in.getHeader(Exchange.HTTP_METHOD) != null && FacadeSpec.get().operation(operation).requestBodySchema() != null
                && isBlank(in.getHeader(Exchange.CONTENT_TYPE, String.class)) && hasBody(in)) {
            refuse(exchange, 415, "Unsupported Media Type",
                    "The body must be JSON: send 'Content-Type: application/json'.", caller, operation);
            return;
        }
        if (exchange.getProperty(ADMITTED) == null && !caller.anonymous()) {
            admit(exchange, caller, operation);
        }
    }

    private void admit(Exchange exchange, Caller caller, String operation) {
        AuthSettings s = settings();
        Limits l = limits.computeIfAbsent(caller.id(), id -> new Limits(
                caller.ratePerSecond() > 0 ? caller.ratePerSecond() : s.defaultRatePerSecond(),
                caller.maxConcurrent() > 0 ? caller.maxConcurrent() : s.defaultMaxConcurrent()));
        long waitMillis = l.bucket.take();
        if (waitMillis > 0) {
            refuse(exchange, 429, "Too Many Requests", "This credential's rate limit (" + l.bucket.rate
                    + " calls a second) is exceeded. Retry after the Retry-After seconds.", caller, operation);
            exchange.getMessage().setHeader("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
            return;
        }
        if (!l.running.tryAcquire()) {
            refuse(exchange, 429, "Too Many Requests", "This credential has " + l.maxConcurrent
                    + " calls running, its limit. Retry when one has finished.", caller, operation);
            exchange.getMessage().setHeader("Retry-After", "1");
            return;
        }
        exchange.setProperty(ADMITTED, Boolean.TRUE);
        Message in = exchange.getMessage();
        String account = in.getHeader("account-id", String.class);
        String workspace = in.getHeader("workspace-id", String.class);
        long started = System.nanoTime();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                l.running.release();
                Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                audit(caller, operation, account, workspace, status != null ? status : done.getException() != null ? 500
                        : 200, (System.nanoTime() - started) / 1_000_000);
            }
        });
    }

    private void refuse(Exchange exchange, int status, String title, String detail, Caller caller, String operation) {
        Message in = exchange.getMessage();
        String account = in.getHeader("account-id", String.class);
        String workspace = in.getHeader("workspace-id", String.class);
        // nothing the caller sent is echoed back
        in.removeHeaders("*");
        Problems.answer(exchange, status, title, detail, null);
        exchange.setProperty(REFUSED, detail);
        exchange.setRouteStop(true);
        audit(caller, operation, account, workspace, status, 0);
    }

    private static void audit(Caller caller, String operation, String account, String workspace, int status, long ms) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("caller={} operation={} account={} workspace={} status={} ms={}",
                    caller == null ? "-" : caller.name(), operation, safe(account), safe(workspace), status, ms);
        }
    }

    private static String safe(String id) {
        if (id == null || id.isBlank()) {
            return "-";
        }
        String t = id.trim();
        if (t.length() > 64) {
            return "(invalid)";
        }
        // letters, digits and '-' only (a UUID): nothing a caller sends can forge or break an audit line
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                return "(invalid)";
            }
        }
        return t;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean hasBody(Message in) {
        Object body = in.getBody();
        if (body == null) {
            return false;
        }
        if (body instanceof byte[] b) {
            return b.length > 0;
        }
        if (body instanceof String str) {
            return !str.isEmpty();
        }
        byte[] bytes = in.getBody(byte[].class);
        return bytes != null && bytes.length > 0;
    }

    /** One credential's limits: a token bucket (a second's worth of burst) and a count of running calls. */
    private static final class Limits {
        final Bucket bucket;
        final Semaphore running;
        final int maxConcurrent;

        Limits(double rate, int maxConcurrent) {
            this.bucket = new Bucket(rate);
            this.maxConcurrent = maxConcurrent;
            this.running = new Semaphore(maxConcurrent);
        }
    }

    static final class Bucket {
        final double rate;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double rate) {
            this.rate = rate;
            this.capacity = Math.max(1, rate);
            this.tokens = capacity;
        }

        /** 0 when a call may go, else the milliseconds until one may. */
        synchronized long take() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / rate * 1000);
        }
    }

    /** Scopes a caller holds among those given (for listing what it may call). */
    public static Set<String> known() {
        return Set.copyOf(Scopes.ALL);
    }
}
