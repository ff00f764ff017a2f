package io.prefectcamel.mcp;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.search.OperationIndex;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.prefectcamel.auth.AuthSettings;
import io.prefectcamel.auth.CallerAuth;
import io.prefectcamel.auth.Scopes;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server as a Camel service: on start it builds the tools from the facade's OpenAPI document, wires
 * them into the MCP Java SDK's server, and serves the streamable HTTP endpoint with Vert.x, either on its own
 * port ({@code mcp.port}, default 9090) or, when {@code mcp.port} equals {@code camel.server.port}, at
 * {@code mcp.path} on the REST server's platform-http router.
 */
public class McpServerService extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(McpServerService.class);
    private CamelContext camelContext;
    private McpSettings settings;
    private Vertx vertx;
    private boolean ownVertx;
    private HttpServer httpServer;
    private McpAsyncServer server;
    private VertxStreamableTransport transport;
    private ProducerTemplate template;
    private volatile List<McpSchema.Tool> tools = List.of();
    private volatile int port = -1;
    private volatile AuthSettings protectedResource;
    private DiscoveryTools discovery;

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The port the endpoint listens on (useful with {@code mcp.port=0}), or -1 when not serving. */
    public int getPort() {
        return port;
    }

    public McpSettings getSettings() {
        return settings;
    }

    /** The streamable HTTP transport (sessions held here), or null when not serving. */
    VertxStreamableTransport transport() {
        return transport;
    }

    List<McpSchema.Tool> listedTools() {
        return tools;
    }

    /** The discovery tools, e.g. to narrow what a caller may find and call ({@link DiscoveryTools#callerFilter}). */
    DiscoveryTools discoveryTools() {
        return discovery;
    }

    @Override
    protected void doStart() throws Exception {
        settings = McpSettings.from(camelContext);
        if (!settings.enabled()) {
            LOG.info("MCP server disabled (mcp.enabled=false)");
            return;
        }
        JsonNode document;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext,
                settings.openApiLocation())) {
            document = ToolCatalog.readDocument(in);
        }
        ToolCatalog catalog = ToolCatalog.build(document, settings);
        ObjectMapper objectMapper = new ObjectMapper();
        McpJsonMapper jsonMapper = new JacksonMcpJsonMapper(objectMapper);
        ToolSchemaValidator validator = new ToolSchemaValidator(objectMapper);
        template = camelContext.createProducerTemplate();
        // a tool call already runs on a worker of its own (FacadeToolInvoker): the operation's route runs on it, not
        // after a second hand-over to the template's thread pool
        template.setThreadedAsyncMode(false);
        String secret = camelContext.getPropertiesComponent().resolveProperty("prefect.api-key").orElse(null);
        CallerAuth auth = CallerAuth.of(camelContext);
        java.util.Map<String, String> toolScopes = new java.util.HashMap<>();
        catalog.tools().forEach(t -> toolScopes.put(t.name(), auth.scopeOf(t.operationId())));
        java.util.function.BiPredicate<io.prefectcamel.auth.Caller, String> toolAllowed =
                (caller, tool) -> caller != null && auth.allows(caller, toolScopes.get(tool));
        FacadeToolInvoker invoker = new FacadeToolInvoker(template, objectMapper, validator, settings, secret,
                toolAllowed);

        List<McpServerFeatures.AsyncToolSpecification> specs = new ArrayList<>();
        if (!settings.dynamicTools()) {
            catalog.tools().forEach(t -> specs.add(invoker.specification(t)));
        }
        // search-operations (and, in mcp.tool-mode=dynamic, describe-operation and call-operation)
        discovery = new DiscoveryTools(OperationIndex.of(document), catalog.tools(), invoker, objectMapper, settings);
        // a caller finds, describes and calls only what its scopes allow, as in its tools/list
        discovery.callerFilter(exchange -> {
            io.prefectcamel.auth.Caller caller = VertxStreamableTransport.caller(exchange);
            return tool -> toolAllowed.test(caller, tool.name());
        });
        specs.addAll(discovery.specifications(settings.dynamicTools()));
        if (settings.testFixtures()) {
            for (McpToolContributor c : camelContext.getRegistry().findByType(McpToolContributor.class)) {
                specs.addAll(c.tools());
            }
            LOG.warn("MCP test fixtures are on (mcp.test-fixtures=true): {} tools in all. Never use this in"
                    + " production.", specs.size());
        }

        boolean shared = settings.sharesRestPort();
        VertxPlatformHttpRouter restRouter = shared ? restRouter(camelContext) : null;
        if (restRouter != null) {
            vertx = restRouter.vertx();
        } else if (shared && camelContext.getRegistry().findSingleByType(Vertx.class) != null) {
            vertx = camelContext.getRegistry().findSingleByType(Vertx.class);
        } else {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4)
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                            .setClassPathResolvingEnabled(false)));
            ownVertx = true;
        }

        DefaultServerTransportSecurityValidator.Builder security = DefaultServerTransportSecurityValidator.builder()
                .allowedOrigins(settings.allowedOrigins())
                .allowedHosts(settings.allowedHosts());
        if (!List.of("0.0.0.0", "::", "[::]", "localhost", "127.0.0.1").contains(settings.host())) {
            security.allowedHost(settings.host() + ":*");
        }
        // the session ids' signing key: never logged, only where it came from
        String sessionSecret = camelContext.getPropertiesComponent().resolveProperty("mcp.session-secret").orElse(null);
        if (sessionSecret != null && !sessionSecret.isBlank() && sessionSecret.trim().length() < 32) {
            LOG.warn("mcp.session-secret is shorter than 32 characters: use a long random value (openssl rand -hex 32)");
        }
        SessionIds sessionIds = SessionIds.of(sessionSecret, secret, settings.sessionMaxAge());
        LOG.info("MCP session ids are signed with a key {}{}", sessionIds.source().text,
                sessionIds.source() == SessionIds.KeySource.RANDOM
                        ? ": other replicas cannot serve this server's sessions (set mcp.session-secret)" : "");
        transport = new VertxStreamableTransport(jsonMapper, settings, security.build(), () -> tools, vertx, auth,
                toolAllowed, sessionIds);
        protectedResource = auth.settings().mode() == AuthSettings.Mode.JWT ? auth.settings() : null;
        server = McpServer.async(transport)
                .serverInfo("prefect-camel", version())
                .instructions(ToolCatalog.instructions(document, settings) + (settings.dynamicTools()
                        ? " The operations are not listed as tools: find one with search-operations, read it with"
                        + " describe-operation and run it with call-operation."
                        : " search-operations finds the tool for what you want to do."))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).logging().build())
                .jsonMapper(jsonMapper)
                .jsonSchemaValidator(validator)
                // arguments are validated by FacadeToolInvoker after defaults are applied, with agent-oriented hints
                .validateToolInputs(false)
                .requestTimeout(Duration.ofMinutes(5))
                .tools(specs)
                .build();
        tools = server.listTools().collectList().block(Duration.ofSeconds(10));

        if (shared) {
            if (restRouter != null) {
                mount(restRouter);
            } else {
                // the REST server starts later: mount once the context is fully started
                camelContext.addStartupListener(new StartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                        // wait for onCamelContextFullyStarted
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                        VertxPlatformHttpRouter r = restRouter(context);
                        if (r == null) {
                            LOG.error("mcp.port equals camel.server.port ({}) but no platform-http server runs:"
                                    + " the MCP endpoint is not served", settings.port());
                        } else {
                            mount(r);
                        }
                    }
                });
            }
            return;
        }
        Router router = Router.router(vertx);
        wellKnown(router);
        router.route(settings.path())
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxRequestBytes()))
                .handler(transport);
        // a connection that carries nothing for this long is closed (an SSE stream's keep-alive comments, every 20 s,
        // count): slow or silent clients cannot hold connections forever
        httpServer = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                        .setIdleTimeout((int) settings.connectionIdleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS))
                .requestHandler(router);
        httpServer.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        port = httpServer.actualPort();
        LOG.info("MCP server (streamable HTTP) on http://{}:{}{} with {} tools{}{}", settings.host(), port,
                settings.path(), tools.size(), settings.readOnly() ? " (read-only)" : "",
                settings.dynamicTools() ? " (tool mode dynamic)" : "");
    }

    /** platform-http's router: registered under a name with the port, or the plain name for the default port. */
    private VertxPlatformHttpRouter restRouter(CamelContext context) {
        VertxPlatformHttpRouter r = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        return r != null ? r : VertxPlatformHttpRouter.lookup(context);
    }

    /**
     * With JWTs: RFC 9728 metadata naming the authorization servers (facade.auth.jwt.authorization-servers), at the
     * root well-known path and at the one for the MCP endpoint's path.
     */
    private void wellKnown(Router router) {
        AuthSettings auth = protectedResource;
        if (auth == null) {
            return;
        }
        for (String path : List.of(VertxStreamableTransport.WELL_KNOWN, VertxStreamableTransport.WELL_KNOWN + settings.path())) {
            router.get(path).handler(rc -> {
                String base = VertxStreamableTransport.baseUrl(rc.request());
                java.util.Map<String, Object> metadata = new java.util.LinkedHashMap<>();
                metadata.put("resource", base + settings.path());
                metadata.put("authorization_servers", auth.authorizationServers().isEmpty()
                        ? List.of(auth.issuer()) : auth.authorizationServers());
                metadata.put("scopes_supported", Scopes.ALL);
                metadata.put("bearer_methods_supported", List.of("header"));
                metadata.put("resource_name", "prefect-camel");
                try {
                    rc.response().putHeader("Content-Type", "application/json")
                            .end(new ObjectMapper().writeValueAsString(metadata));
                } catch (Exception e) {
                    rc.fail(e);
                }
            });
        }
    }

    private void mount(Router router) {
        wellKnown(router);
        router.route(settings.path())
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxRequestBytes()))
                .handler(transport);
        port = settings.port();
        LOG.info("MCP server (streamable HTTP) at {} on the REST server's port {} with {} tools", settings.path(),
                port, tools.size());
    }

    @Override
    protected void doStop() throws Exception {
        try {
            if (server != null) {
                server.closeGracefully().block(Duration.ofSeconds(10));
            }
        } catch (RuntimeException e) {
            LOG.debug("Closing MCP server: {}", e.getMessage());
        }
        if (httpServer != null) {
            httpServer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            httpServer = null;
        }
        if (ownVertx && vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        vertx = null;
        ownVertx = false;
        if (template != null) {
            template.stop();
            template = null;
        }
        server = null;
        port = -1;
    }

    private static String version() {
        String v = McpServerService.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
