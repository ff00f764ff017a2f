package io.prefectcamel.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.prefectcamel.auth.AuthSettings;
import io.prefectcamel.auth.Caller;
import io.prefectcamel.auth.CallerAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The MCP streamable HTTP transport (revision 2025-11-25, also 2025-06-18 and 2025-03-26) on a Vert.x router:
 * the SDK's {@link McpStreamableServerTransportProvider} seam. One endpoint: POST carries JSON-RPC (a request
 * is answered with {@code application/json}, or with an SSE stream when the server sends notifications or
 * requests before the answer); GET opens the session's SSE stream; DELETE ends the session.
 *
 * <p>Before any of that: the Origin and Host headers are checked (403, DNS rebinding protection) and an
 * unsupported {@code MCP-Protocol-Version} header is refused (400). {@code tools/list} is paged here with an
 * opaque cursor, because the SDK lists all tools in one answer.
 *
 * <p>Session ids are signed and carry the session's state ({@link SessionIds}): a request with an id this replica
 * does not hold (opened on another replica, or swept here as idle) rebuilds the session through the SDK's session
 * factory, already initialized. Only the GET stream, the logging level and DELETE stay with one replica.
 */
final class VertxStreamableTransport implements McpStreamableServerTransportProvider, Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(VertxStreamableTransport.class);
    static final List<String> PROTOCOL_VERSIONS = List.of(
            "2025-03-26", "2025-06-18", "2025-11-25"); // the SDK offers the last one to other clients

    private final McpJsonMapper json;
    private final McpSettings settings;
    private final DefaultServerTransportSecurityValidator security;
    private final Supplier<List<McpSchema.Tool>> toolLister;
    private final Vertx vertx;
    private final CallerAuth auth;
    /** Whether a caller may see and call a tool (by name): the scope its operation needs. */
    private final java.util.function.BiPredicate<Caller, String> toolAllowed;
    /** The sessions this replica holds, by the id the client sends (the signed id of {@link SessionIds}). */
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    /** Ids ended here with DELETE, until they would expire anyway: this replica does not rebuild them. */
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    private final SessionIds ids;
    private final AtomicLong rebuilds = new AtomicLong();
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private volatile boolean closing;
    private long sweepTimer = -1;

    /** A session, the credential that opened it (no other may use it), and when its id stops being accepted. */
    private record Entry(McpStreamableServerSession session, AtomicLong lastSeen, String owner, long expiresAt) {
    }

    /** At most this many DELETEd ids are remembered (each until its max age): beyond, the oldest are forgotten. */
    static final int MAX_ENDED = 10_000;

    static final String CALLER = "caller";
    /** The JSON-RPC error code (implementation-defined server error) of a refused initialize. */
    static final int SERVER_BUSY = -32000;
    static final long RETRY_AFTER_FULL_SECONDS = 30;
    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    VertxStreamableTransport(McpJsonMapper json, McpSettings settings, DefaultServerTransportSecurityValidator security,
            Supplier<List<McpSchema.Tool>> toolLister, Vertx vertx, CallerAuth auth,
            java.util.function.BiPredicate<Caller, String> toolAllowed, SessionIds ids) {
        this.json = json;
        this.ids = ids;
        this.auth = auth;
        this.toolAllowed = toolAllowed;
        this.settings = settings;
        this.security = security;
        this.toolLister = toolLister;
        this.vertx = vertx;
        long period = Math.max(1000, Math.min(60_000, settings.sessionIdleTimeout().toMillis() / 2));
        this.sweepTimer = vertx.setPeriodic(period, id -> sweepIdleSessions());
    }

    @Override
    public List<String> protocolVersions() {
        return PROTOCOL_VERSIONS;
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    int sessionCount() {
        return sessions.size();
    }

    /** How many sessions this replica rebuilt from their id (initialized on another replica, or swept) so far. */
    long rebuilds() {
        return rebuilds.get();
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.fromRunnable(() -> sessions.values().forEach(e -> e.session().sendNotification(method, params)
                .subscribe(null, err -> LOG.debug("Notification to session {} failed: {}", e.session().getId(),
                        err.getMessage()))));
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            closing = true;
            if (sweepTimer >= 0) {
                vertx.cancelTimer(sweepTimer);
                sweepTimer = -1;
            }
            sessions.values().forEach(e -> {
                try {
                    e.session().close();
                } catch (RuntimeException ex) {
                    LOG.debug("Closing session {}: {}", e.session().getId(), ex.getMessage());
                }
            });
            sessions.clear();
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        try {
            // the SDK's validator checks Origin and Host against the allowed lists
            security.validate(accessor(req));
        } catch (ServerTransportSecurityException e) {
            LOG.debug("Refused {} {}: {} (Origin={}, Host={})", req.method(), req.path(), e.getMessage(),
                    req.getHeader("Origin"), req.getHeader("Host"));
            error(rc, 403, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Forbidden: " + e.getMessage() + ". Only local origins and the configured mcp.allowed-origins /"
                            + " mcp.allowed-hosts may call this server.");
            return;
        }
        if (closing) {
            error(rc, 503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "The server is shutting down");
            return;
        }
        CallerAuth.Outcome outcome = auth.authenticate(req.getHeader("Authorization"));
        if (!outcome.ok()) {
            rc.response().putHeader("WWW-Authenticate", auth.challenge(outcome.presented(),
                    auth.settings().mode() == AuthSettings.Mode.JWT ? baseUrl(req) + WELL_KNOWN : null));
            error(rc, 401, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Unauthorized: " + outcome.refusal());
            return;
        }
        rc.put(CALLER, outcome.caller());
        HttpMethod method = req.method();
        if (HttpMethod.POST.equals(method)) {
            post(rc);
        } else if (HttpMethod.GET.equals(method)) {
            get(rc);
        } else if (HttpMethod.DELETE.equals(method)) {
            delete(rc);
        } else {
            rc.response().putHeader("Allow", "GET, POST, DELETE");
            error(rc, 405, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Method not allowed: use POST, GET or DELETE");
        }
    }

    /** The first byte of a body that is not JSON whitespace, or -1 when there is none. */
    private static int firstToken(byte[] body) {
        if (body != null) {
            for (byte b : body) {
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    return b & 0xFF;
                }
            }
        }
        return -1;
    }

    /**
     * A JSON-RPC message, read from its bytes once. The SDK's reader ({@link McpSchema#deserializeJsonRpcMessage})
     * reads the text into a map and converts the map into the message once more; a request (a method and an id, every
     * {@code tools/call}) is made here from that map directly, by the same constructor and its checks. Anything else
     * (a notification, a response, a request whose members have other types) takes the SDK's conversion.
     */
    static McpSchema.JSONRPCMessage message(McpJsonMapper json, byte[] body) throws java.io.IOException {
        Map<String, Object> map = json.readValue(body, MESSAGE);
        if (map == null) {
            throw new IllegalArgumentException("Not a JSON-RPC message");
        }
        if (map.get("jsonrpc") instanceof String version && map.get("method") instanceof String method
                && map.containsKey("id")) {
            return new McpSchema.JSONRPCRequest(version, method, map.get("id"), map.get("params"));
        }
        boolean hasMethod = map.containsKey("method");
        if (hasMethod && map.containsKey("id")) {
            return json.convertValue(map, McpSchema.JSONRPCRequest.class);
        }
        if (hasMethod) {
            return json.convertValue(map, McpSchema.JSONRPCNotification.class);
        }
        if (map.containsKey("result") || map.containsKey("error")) {
            return json.convertValue(map, McpSchema.JSONRPCResponse.class);
        }
        throw new IllegalArgumentException("Not a JSON-RPC request, notification or response");
    }

    private static final TypeRef<java.util.HashMap<String, Object>> MESSAGE = new TypeRef<>() {
    };

    private void post(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        String contentType = req.getHeader("Content-Type");
        if (contentType != null && !contentType.toLowerCase().contains("application/json")) {
            error(rc, 415, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Content-Type must be application/json");
            return;
        }
        String accept = lower(req.getHeader("Accept"));
        boolean acceptsJson = accept == null || accept.contains("application/json") || accept.contains("*/*")
                || accept.contains("application/*");
        boolean acceptsSse = accept == null || accept.contains("text/event-stream") || accept.contains("*/*");
        if (!acceptsJson && !acceptsSse) {
            error(rc, 406, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Accept must include application/json and text/event-stream");
            return;
        }
        byte[] body = rc.body() == null || rc.body().buffer() == null ? null : rc.body().buffer().getBytes();
        int first = firstToken(body);
        if (first < 0) {
            error(rc, 400, null, McpSchema.ErrorCodes.PARSE_ERROR, "Empty body: send one JSON-RPC message");
            return;
        }
        if (first == '[') {
            error(rc, 400, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "JSON-RPC batches are not supported: send one message per request");
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = message(json, body);
        } catch (Exception e) {
            error(rc, 400, null, McpSchema.ErrorCodes.PARSE_ERROR, "Not a JSON-RPC 2.0 message");
            return;
        }
        McpTransportContext context = transportContext(req, rc.get(CALLER));

        if (message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            initialize(rc, request, context);
            return;
        }
        if (!protocolVersionOk(rc)) {
            return;
        }
        Entry entry = session(rc);
        if (entry == null) {
            return;
        }
        McpStreamableServerSession session = entry.session();
        if (message instanceof McpSchema.JSONRPCResponse response) {
            session.accept(response).contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .subscribe(null, err -> LOG.debug("Response not accepted: {}", err.getMessage()));
            rc.response().setStatusCode(202).end();
        } else if (message instanceof McpSchema.JSONRPCNotification notification) {
            session.accept(notification).contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .subscribe(null, err -> LOG.debug("Notification {} failed: {}", notification.method(),
                            err.getMessage()));
            rc.response().setStatusCode(202).end();
        } else if (message instanceof McpSchema.JSONRPCRequest request) {
            if (McpSchema.METHOD_TOOLS_LIST.equals(request.method())) {
                listTools(rc, request, rc.get(CALLER));
                return;
            }
            PostStream stream = new PostStream(rc, session.getId(), acceptsSse, acceptsJson);
            session.responseStream(request, stream)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .subscribe(null, err -> {
                        LOG.warn("Request {} failed: {}", request.method(), err.getMessage());
                        stream.fail(request.id());
                    });
        } else {
            error(rc, 400, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Unknown JSON-RPC message type");
        }
    }

    private void initialize(RoutingContext rc, McpSchema.JSONRPCRequest request, McpTransportContext context) {
        McpStreamableServerSession.Factory factory = this.sessionFactory;
        if (factory == null) {
            error(rc, 503, request.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The server is not ready yet");
            return;
        }
        McpSchema.InitializeRequest init;
        try {
            init = json.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {
            });
        } catch (RuntimeException e) {
            error(rc, 400, request.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize parameters");
            return;
        }
        if (init == null || init.protocolVersion() == null) {
            error(rc, 400, request.id(), McpSchema.ErrorCodes.INVALID_PARAMS,
                    "initialize needs params.protocolVersion, capabilities and clientInfo");
            return;
        }
        Caller caller = rc.get(CALLER);
        // the version the SDK's initialize handler answers with: the client's if supported, else the latest
        String negotiated = PROTOCOL_VERSIONS.contains(init.protocolVersion()) ? init.protocolVersion()
                : PROTOCOL_VERSIONS.get(PROTOCOL_VERSIONS.size() - 1);
        long now = System.currentTimeMillis();
        String id;
        McpStreamableServerSession.McpStreamableServerSessionInit started;
        synchronized (sessions) {
            if (!roomForOneMore(rc, request.id(), "a new one")) {
                return;
            }
            id = ids.issue(negotiated, caller.id(), init, now);
            started = factory.startSession(init);
            sessions.put(id, new Entry(started.session(), new AtomicLong(now), caller.id(),
                    ids.expiresAt(now / 1000 * 1000)));
        }
        Context vctx = vertx.getOrCreateContext();
        started.initResult()
                .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                .subscribe(result -> vctx.runOnContext(v -> {
                    String payload = write(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(),
                            result, null));
                    if (!rc.response().ended() && !rc.response().closed()) {
                        rc.response().setStatusCode(200)
                                .putHeader("Content-Type", "application/json")
                                .putHeader(HttpHeaders.MCP_SESSION_ID, id)
                                .end(payload);
                    }
                }), err -> vctx.runOnContext(v -> {
                    sessions.remove(id);
                    LOG.warn("initialize failed: {}", err.getMessage());
                    error(rc, 500, request.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "initialize failed");
                }));
    }

    /**
     * Whether the cap (mcp.max-sessions) leaves room for one more session, after sweeping idle ones; if not, answers
     * 503 with Retry-After. Call holding the sessions lock.
     */
    private boolean roomForOneMore(RoutingContext rc, Object requestId, String what) {
        if (sessions.size() >= settings.maxSessions()) {
            sweepIdleSessions();
        }
        if (sessions.size() < settings.maxSessions()) {
            return true;
        }
        // refused, not evicting a session in use: sessions free up as their clients end them or go idle
        LOG.info("Too many MCP sessions ({}): refusing {}", sessions.size(), what);
        rc.response().putHeader("Retry-After", Long.toString(RETRY_AFTER_FULL_SECONDS));
        error(rc, 503, requestId, SERVER_BUSY, "Too many MCP sessions are open (mcp.max-sessions="
                + settings.maxSessions() + "); retry after " + RETRY_AFTER_FULL_SECONDS
                + " seconds, or reuse an open session.");
        return false;
    }

    private void get(RoutingContext rc) {
        String accept = lower(rc.request().getHeader("Accept"));
        if (accept == null || !(accept.contains("text/event-stream") || accept.contains("*/*"))) {
            error(rc, 406, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "GET opens the server's SSE stream: Accept must include text/event-stream");
            return;
        }
        if (!protocolVersionOk(rc)) {
            return;
        }
        Entry entry = session(rc);
        if (entry == null) {
            return;
        }
        ListeningStream stream = new ListeningStream(rc, entry.session().getId());
        McpStreamableServerSession.McpStreamableServerSessionStream listening = entry.session().listeningStream(stream);
        rc.response().closeHandler(v -> {
            stream.closed();
            listening.close();
        });
        stream.open();
    }

    private void delete(RoutingContext rc) {
        if (!protocolVersionOk(rc)) {
            return;
        }
        String id = sessionIdHeader(rc);
        if (id == null) {
            return;
        }
        Entry entry = sessions.get(id);
        if (entry == null || !owns(entry, rc.get(CALLER))) {
            // not held here: a valid id of this caller is ended here without rebuilding the session first
            SessionIds.Claims claims = verified(rc, id);
            if (claims == null) {
                return;
            }
            endHere(id, ids.expiresAt(claims.issuedAtMillis()));
            rc.response().setStatusCode(200).end();
            return;
        }
        sessions.remove(id);
        endHere(id, entry.expiresAt());
        Context vctx = vertx.getOrCreateContext();
        entry.session().delete().subscribe(null,
                err -> vctx.runOnContext(v -> rc.response().setStatusCode(200).end()),
                () -> vctx.runOnContext(v -> rc.response().setStatusCode(200).end()));
    }

    /** tools/list with an opaque cursor (base64 of the offset); pages of mcp.tools-page-size tools. */
    private void listTools(RoutingContext rc, McpSchema.JSONRPCRequest request, Caller caller) {
        int offset = 0;
        Object params = request.params();
        if (params instanceof Map<?, ?> map && map.get("cursor") != null) {
            Integer decoded = decodeCursor(String.valueOf(map.get("cursor")));
            if (decoded == null) {
                error(rc, 200, request.id(), McpSchema.ErrorCodes.INVALID_PARAMS,
                        "Invalid cursor: pass nextCursor from the previous tools/list result unchanged");
                return;
            }
            offset = decoded;
        }
        List<McpSchema.Tool> all = toolLister.get().stream().filter(t -> toolAllowed.test(caller, t.name())).toList();
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + settings.toolsPageSize());
        String next = to < all.size() ? encodeCursor(to) : null;
        McpSchema.ListToolsResult result = new McpSchema.ListToolsResult(all.subList(from, to), next);
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                .end(write(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), result, null)));
    }

    static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("tools:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static Integer decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!s.startsWith("tools:")) {
                return null;
            }
            int n = Integer.parseInt(s.substring(6));
            return n < 0 ? null : n;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private boolean protocolVersionOk(RoutingContext rc) {
        String version = rc.request().getHeader(HttpHeaders.PROTOCOL_VERSION);
        if (version != null && !PROTOCOL_VERSIONS.contains(version.trim())) {
            error(rc, 400, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version: "
                    + version + ". Supported: " + String.join(", ", PROTOCOL_VERSIONS));
            return false;
        }
        return true;
    }

    /**
     * The request's session, or null after answering 400 (no header), 404 (unknown, expired, tampered, signed with
     * another key, or another credential's) or 503 (not held here and no room to rebuild it). A session this replica
     * does not hold is rebuilt from its signed id: initialized on another replica, or swept here when it was idle.
     */
    private Entry session(RoutingContext rc) {
        String id = sessionIdHeader(rc);
        if (id == null) {
            return null;
        }
        Caller caller = rc.get(CALLER);
        long now = System.currentTimeMillis();
        Entry entry = sessions.get(id);
        if (entry != null && now >= entry.expiresAt()) {
            LOG.debug("MCP session {} reached mcp.session-max-age-seconds", entry.session().getId());
            if (sessions.remove(id, entry)) {
                entry.session().close();
            }
            entry = null;
        }
        if (entry != null && !owns(entry, caller)) {
            LOG.info("Refused MCP session {} to another credential than the one that opened it",
                    entry.session().getId());
            unknownSession(rc);
            return null; // answered like an unknown session: its id says nothing to another credential
        }
        if (entry == null) {
            entry = rebuild(rc, id, caller, now);
            if (entry == null) {
                return null;
            }
        }
        entry.lastSeen().set(now);
        return entry;
    }

    /** The trimmed Mcp-Session-Id header, or null after answering 400. */
    private String sessionIdHeader(RoutingContext rc) {
        String id = rc.request().getHeader(HttpHeaders.MCP_SESSION_ID);
        if (id == null || id.isBlank()) {
            error(rc, 400, null, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Missing Mcp-Session-Id header: call initialize first and send its Mcp-Session-Id");
            return null;
        }
        return id.trim();
    }

    private static boolean owns(Entry entry, Caller caller) {
        return caller != null && entry.owner().equals(caller.id());
    }

    /** The claims of an id that verifies, belongs to this caller and was not ended here; else null after a 404. */
    private SessionIds.Claims verified(RoutingContext rc, String id) {
        Caller caller = rc.get(CALLER);
        SessionIds.Claims claims = ids.verify(id, System.currentTimeMillis());
        if (claims == null) {
            LOG.debug("Unknown MCP session id (not issued with this server's key, altered, or expired)");
        } else if (caller == null || !ids.ownedBy(claims, caller.id())) {
            LOG.info("Refused an MCP session id of another credential");
            claims = null;
        } else if (ended.containsKey(id)) {
            LOG.debug("MCP session id ended here with DELETE");
            claims = null;
        }
        if (claims == null) {
            unknownSession(rc);
        }
        return claims;
    }

    /** Rebuilds the session of a valid id through the SDK's session factory, initialized; null after answering. */
    private Entry rebuild(RoutingContext rc, String id, Caller caller, long now) {
        McpStreamableServerSession.Factory factory = this.sessionFactory;
        if (factory == null) {
            error(rc, 503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "The server is not ready yet");
            return null;
        }
        SessionIds.Claims claims = verified(rc, id);
        if (claims == null) {
            return null;
        }
        synchronized (sessions) {
            Entry entry = sessions.get(id);
            if (entry != null) {
                return entry; // rebuilt meanwhile by a concurrent request
            }
            if (!roomForOneMore(rc, null, "to rebuild a session")) {
                return null;
            }
            // the initialize was answered when the id was issued: the result is not sent again, and the
            // SDK's streamable session has no further state to set for the initialized one
            McpStreamableServerSession session = factory.startSession(claims.init()).session();
            entry = new Entry(session, new AtomicLong(now), caller.id(), ids.expiresAt(claims.issuedAtMillis()));
            sessions.put(id, entry);
            rebuilds.incrementAndGet();
            LOG.debug("Rebuilt MCP session {} from its id (protocol {})", session.getId(), claims.protocolVersion());
            return entry;
        }
    }

    private void unknownSession(RoutingContext rc) {
        error(rc, 404, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Unknown or expired session: call initialize again");
    }

    /** Remembers an id ended here until it expires, so that this replica does not rebuild it. */
    private void endHere(String id, long expiresAt) {
        if (expiresAt == Long.MAX_VALUE && ended.size() >= MAX_ENDED) {
            return;
        }
        if (ended.size() >= MAX_ENDED) {
            ended.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> ended.remove(oldest.getKey()));
        }
        ended.put(id, expiresAt);
    }

    private void sweepIdleSessions() {
        long now = System.currentTimeMillis();
        long cutoff = now - settings.sessionIdleTimeout().toMillis();
        ended.values().removeIf(expiresAt -> expiresAt <= now);
        sessions.values().removeIf(e -> {
            if (now >= e.expiresAt() || e.lastSeen().get() < cutoff && !e.session().hasOpenStream()) {
                LOG.debug("Ending idle MCP session {}", e.session().getId());
                e.session().close();
                return true;
            }
            return false;
        });
    }

    /** The caller this transport authenticated for a tool call's request, or null. */
    static Caller caller(io.modelcontextprotocol.server.McpAsyncServerExchange exchange) {
        Object caller = exchange == null || exchange.transportContext() == null ? null
                : exchange.transportContext().get(CALLER);
        return caller instanceof Caller c ? c : null;
    }

    private static McpTransportContext transportContext(HttpServerRequest req, Caller caller) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("remoteAddress", String.valueOf(req.remoteAddress()));
        values.put(CALLER, caller);
        return McpTransportContext.create(values);
    }

    /** The scheme and authority the client reached this server at (the Host header was checked before). */
    static String baseUrl(HttpServerRequest req) {
        String host = req.getHeader("Host");
        if (host == null && req.authority() != null) {
            host = req.authority().toString();
        }
        return (req.isSSL() ? "https" : "http") + "://" + (host == null ? "localhost" : host);
    }

    static HeaderAccessor accessor(HttpServerRequest req) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                List<String> values = req.headers().getAll(name);
                if (values.isEmpty() && "host".equalsIgnoreCase(name) && req.authority() != null) {
                    // HTTP/2 (h2c) carries the host as the :authority pseudo-header
                    return List.of(req.authority().toString());
                }
                return values;
            }

            @Override
            public List<String> getHeaderNames() {
                return List.copyOf(req.headers().names());
            }
        };
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase();
    }

    private String write(Object value) {
        return new String(writeBytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] writeBytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write JSON-RPC message", e);
        }
    }

    private void error(RoutingContext rc, int status, Object id, int code, String message) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        // written by hand: the SDK's JSONRPCResponse refuses a null id, which JSON-RPC needs when there is none
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        envelope.put("id", id);
        envelope.put("error", error);
        String payload = write(envelope);
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(payload);
    }

    private static String sseEvent(String id, String data) {
        StringBuilder sb = new StringBuilder();
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        return sb.append("event: message\ndata: ").append(data).append("\n\n").toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // streams

    /**
     * The answer to one POSTed request. If the first message is the response itself, it goes back as
     * application/json; if the server first sends notifications or requests, the answer becomes an SSE stream
     * that ends after the response.
     */
    private final class PostStream implements McpStreamableServerTransport {
        private final RoutingContext rc;
        private final Context vctx;
        private final String sessionId;
        private final boolean sseAllowed;
        private final boolean jsonAllowed;
        private boolean sse;
        private boolean done;

        PostStream(RoutingContext rc, String sessionId, boolean sseAllowed, boolean jsonAllowed) {
            this.rc = rc;
            this.vctx = vertx.getOrCreateContext();
            this.sessionId = sessionId;
            this.sseAllowed = sseAllowed;
            this.jsonAllowed = jsonAllowed;
            rc.response().closeHandler(v -> {
                synchronized (this) {
                    done = true;
                }
            });
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return Mono.fromRunnable(() -> send(message, messageId));
        }

        private synchronized void send(McpSchema.JSONRPCMessage message, String messageId) {
            if (done) {
                return;
            }
            if (!sse && message instanceof McpSchema.JSONRPCResponse && (jsonAllowed || !sseAllowed)) {
                done = true;
                // written as UTF-8 bytes at once: a result can be a whole page of events
                byte[] page = ToolResultWriter.write(message); // a page as the result: its bytes as they are
                Buffer body = Buffer.buffer(page != null ? page : writeBytes(message));
                vctx.runOnContext(v -> {
                    HttpServerResponse r = rc.response();
                    if (!r.ended() && !r.closed()) {
                        r.setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
                    }
                });
                return;
            }
            String payload = write(message);
            if (!sse) {
                if (!sseAllowed) {
                    LOG.debug("Dropped {} for session {}: the client does not accept SSE", payload, sessionId);
                    return;
                }
                sse = true;
                vctx.runOnContext(v -> {
                    HttpServerResponse r = rc.response();
                    if (!r.ended() && !r.closed()) {
                        r.setStatusCode(200).setChunked(true)
                                .putHeader("Content-Type", "text/event-stream")
                                .putHeader("Cache-Control", "no-cache");
                    }
                });
            }
            String event = sseEvent(messageId, payload);
            vctx.runOnContext(v -> {
                HttpServerResponse r = rc.response();
                if (!r.ended() && !r.closed()) {
                    r.write(event);
                }
            });
        }

        void fail(Object requestId) {
            synchronized (this) {
                if (done) {
                    return;
                }
                if (sse) {
                    send(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, requestId, null,
                            new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
                                    "Internal error", null)), null);
                    close();
                    return;
                }
                done = true;
            }
            vctx.runOnContext(v -> error(rc, 500, requestId, McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error"));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::close);
        }

        @Override
        public synchronized void close() {
            boolean wasSse = sse;
            boolean wasDone = done;
            done = true;
            vctx.runOnContext(v -> {
                HttpServerResponse r = rc.response();
                if (r.ended() || r.closed()) {
                    return;
                }
                if (wasSse) {
                    r.end();
                } else if (!wasDone) {
                    // closed without an answer (should not happen): do not leave the client hanging
                    r.setStatusCode(202).end();
                }
            });
        }
    }

    /** The session's GET stream: server-initiated notifications and requests, with keep-alive comments. */
    private final class ListeningStream implements McpStreamableServerTransport {
        private final RoutingContext rc;
        private final Context vctx;
        private final String sessionId;
        private volatile boolean closed;
        private long keepAlive = -1;

        ListeningStream(RoutingContext rc, String sessionId) {
            this.rc = rc;
            this.vctx = vertx.getOrCreateContext();
            this.sessionId = sessionId;
        }

        void open() {
            HttpServerResponse r = rc.response();
            r.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache");
            r.write(": stream open\n\n");
            keepAlive = vertx.setPeriodic(20_000, id -> {
                if (closed || r.ended() || r.closed()) {
                    vertx.cancelTimer(id);
                } else {
                    r.write(": keep-alive\n\n");
                }
            });
        }

        void closed() {
            closed = true;
            if (keepAlive >= 0) {
                vertx.cancelTimer(keepAlive);
            }
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return Mono.fromRunnable(() -> {
                if (closed) {
                    return;
                }
                String event = sseEvent(messageId, write(message));
                vctx.runOnContext(v -> {
                    HttpServerResponse r = rc.response();
                    if (!r.ended() && !r.closed()) {
                        r.write(event);
                    }
                });
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::close);
        }

        @Override
        public void close() {
            closed();
            vctx.runOnContext(v -> {
                HttpServerResponse r = rc.response();
                if (!r.ended() && !r.closed()) {
                    r.end();
                }
            });
            LOG.debug("SSE stream of session {} closed", sessionId);
        }
    }
}
