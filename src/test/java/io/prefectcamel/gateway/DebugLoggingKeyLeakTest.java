package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.prefectcamel.gateway.Fixtures.ACCOUNT;
import static io.prefectcamel.gateway.Fixtures.EMPTY_PAGE;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.PREFECT_WORKSPACE;
import static io.prefectcamel.gateway.Fixtures.WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.mcp.McpServerService;
import io.prefectcamel.testing.FacadeClient;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Prefect key stays out of the log with everything at DEBUG: the root logger, Camel (its property resolution
 * at TRACE), HttpClient's wire and header loggers. The real service (against WireMock as Prefect) is started with
 * those levels and called over REST (once through a retried 429), over MCP, and through the prefect-api-action
 * Kamelet; no log event of it (message, exception, context) may hold the key. The suite's own guard
 * ({@link KeyLeakCheck}) checks the same events after the class. The levels are restored afterwards.
 */
@ExtendWith(KeyLeakCheck.class)
class DebugLoggingKeyLeakTest {

    /** The loggers turned up for this class, and to what. */
    private static final Map<String, Level> LEVELS = Map.of(
            LogManager.ROOT_LOGGER_NAME, Level.DEBUG,
            "org.apache.camel", Level.DEBUG,
            "org.apache.camel.component.properties", Level.TRACE,
            "org.apache.camel.impl.engine", Level.TRACE,
            "org.apache.hc.client5.http.wire", Level.DEBUG,
            "org.apache.hc.client5.http.headers", Level.DEBUG,
            "org.apache.hc", Level.DEBUG);

    private static final Map<String, Level> before = new LinkedHashMap<>();
    private static final Capture capture = new Capture();
    private static FakePrefect prefect;
    private static ServiceUnderTest service;

    @BeforeAll
    static void start() throws Exception {
        turnUp();
        prefect = FakePrefect.start();
        Map<String, String> properties = new LinkedHashMap<>(FacadeUnderTest.TEST_DEFAULTS);
        properties.put("mcp.enabled", "true");
        properties.put("mcp.host", "127.0.0.1");
        properties.put("prefect.account-id", ACCOUNT);
        properties.put("prefect.workspace-id", WORKSPACE);
        service = ServiceUnderTest.builder().prefect(prefect.url(), TestKey.VALUE).properties(properties).start();
        // a flow of the user's own, calling Prefect through the shared Kamelet with the same key
        PluginHelper.getRoutesLoader(service.camelContext()).loadRoutes(ResourceHelper.fromString("debug-kamelet.camel.yaml", """
                - route:
                    id: debug-kamelet-call
                    from:
                      uri: direct:debug-kamelet-call
                      steps:
                        - to: "kamelet:prefect-api-action?apiKey={{prefect.api-key}}&apiUrl={{prefect.api-url}}&retryBackoff=10&maxAttempts=3"
                """));
    }

    @AfterAll
    static void stop() {
        try {
            if (service != null) {
                service.stop();
            }
            if (prefect != null) {
                prefect.stop();
            }
        } finally {
            restore();
        }
    }

    @Test
    void noLoggerAtDebugPrintsTheKey() throws Exception {
        tagsAfterOne429();

        prefect.reset();
        prefect.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(EMPTY_PAGE)));
        assertThat(service.camelContext().getStatus().isStarted()).isTrue();
        assertThat(client().post(FACADE_WORKSPACE + "/events/filter", "{\"limit\": 5}").statusCode()).isEqualTo(200);
        mcpCall();
        kameletCall();
        assertThat(prefect.requests()).as("the calls that reached Prefect").hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TestKey.VALUE));

        List<String> events = capture.events();
        List<String> leaks = events.stream().filter(TestKey::isIn)
                .map(e -> e.replace(TestKey.VALUE, "<KEY>").lines().findFirst().orElse("")).toList();
        assertThat(leaks).as("log events that hold the key (of %d events)", events.size()).isEmpty();
        // the service's header is not set through a placeholder, so no resolver logs it, masked or not
        assertThat(events.stream().filter(e -> e.contains("Bearer {{prefect.api-key}}")).toList())
                .as("placeholder resolutions of the Authorization header").isEmpty();
        // and the levels were really on
        assertThat(events.stream().anyMatch(e -> e.startsWith("org.apache.hc.client5.http.headers")
                && e.contains("Authorization: Bearer ****"))).as("HttpClient's header log, masked").isTrue();
        assertThat(events.stream().anyMatch(e -> e.startsWith("org.apache.hc.client5.http.wire")
                && e.contains("Authorization: Bearer ****"))).as("HttpClient's wire log, masked").isTrue();
        assertThat(events.stream().anyMatch(e -> e.startsWith("org.apache.camel") && e.contains("Resolved text:")))
                .as("Camel's property resolution at DEBUG").isTrue();
    }

    /** REST: Prefect answers 429 first, then the tags; the facade waits and retries. */
    private static void tagsAfterOne429() {
        prefect.stubFor(get(urlPathEqualTo(PREFECT_WORKSPACE + "/tags")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("retried"));
        prefect.stubFor(get(urlPathEqualTo(PREFECT_WORKSPACE + "/tags")).inScenario("429").whenScenarioStateIs("retried")
                .withHeader("Authorization", equalTo("Bearer " + TestKey.VALUE))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
        assertThat(client().get(FACADE_WORKSPACE + "/tags").statusCode()).isEqualTo(200);
        assertThat(prefect.requestCount()).as("the 429 was retried").isEqualTo(2);
    }

    private static void mcpCall() {
        McpServerService mcp = service.camelContext().hasService(McpServerService.class);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + mcp.getPort()).endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
            McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("read-workspace-events",
                    Map.of("account_id", ACCOUNT, "workspace_id", WORKSPACE, "limit", 5)));
            assertThat(r.isError()).as("the MCP call failed: %s", r.content()).isNotEqualTo(Boolean.TRUE);
        } finally {
            client.closeGracefully();
        }
    }

    private static void kameletCall() {
        Exchange out = service.camelContext().createProducerTemplate().request("direct:debug-kamelet-call", e -> {
            e.getMessage().setBody("{\"limit\": 5}");
            e.getMessage().setHeader("PrefectPath", PREFECT_WORKSPACE + "/events/filter");
        });
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
    }

    private static FacadeClient client() {
        return new FacadeClient(service.baseUrl());
    }

    // ------------------------------------------------------------------ log levels and capture

    private static void turnUp() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        capture.start();
        config.getRootLogger().addAppender(capture, Level.ALL, null);
        LEVELS.forEach((name, level) -> {
            LoggerConfig existing = name.isEmpty() ? config.getRootLogger() : config.getLoggers().get(name);
            before.put(name, existing == null ? null : existing.getLevel());
            if (existing != null) {
                existing.setLevel(level);
            } else {
                LoggerConfig added = new LoggerConfig(name, level, true);
                config.addLogger(name, added);
            }
        });
        context.updateLoggers();
    }

    private static void restore() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        before.forEach((name, level) -> {
            if (level == null) {
                config.removeLogger(name);
            } else {
                (name.isEmpty() ? config.getRootLogger() : config.getLoggers().get(name)).setLevel(level);
            }
        });
        config.getRootLogger().removeAppender(capture.getName());
        capture.stop();
        context.updateLoggers();
    }

    /** Every log event while the class runs, as "logger level message [exception] {context}". */
    private static final class Capture extends AbstractAppender {

        private final List<String> events = new CopyOnWriteArrayList<>();

        Capture() {
            super("debug-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getLevel()).append(' ')
                    .append(event.getMessage() == null ? "" : event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                text.append('\n').append(trace);
            }
            event.getContextData().forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
            events.add(text.toString());
        }

        List<String> events() {
            return List.copyOf(events);
        }
    }
}
