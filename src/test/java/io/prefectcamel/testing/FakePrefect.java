package io.prefectcamel.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.common.Notifier;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WireMock playing Prefect Cloud on a dynamic loopback port. WireMock's own log lines go to SLF4J with the test key
 * masked: WireMock prints unmatched requests with their headers, and the key it received is not a leak of the
 * service's.
 */
public final class FakePrefect implements AutoCloseable {

    private final WireMockServer server;

    private FakePrefect(WireMockServer server) {
        this.server = server;
    }

    public static FakePrefect start() {
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(20)
                .jettyStopTimeout(500L)
                .notifier(new MaskingNotifier()));
        server.start();
        return new FakePrefect(server);
    }

    /** The base URL to give the service as {@code prefect.api-url}. */
    public String url() {
        return server.baseUrl();
    }

    public WireMockServer wireMock() {
        return server;
    }

    public void stubFor(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    /** Forgets stubs, scenarios and received requests. */
    public void reset() {
        server.resetAll();
    }

    /** The requests received so far, oldest first. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> requests = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) { // newest first
            requests.add(0, event.getRequest());
        }
        requests.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())); // stable: same-millisecond ties keep their order
        return requests;
    }

    /** The one request received so far; fails when there were none or several. */
    public LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = requests();
        if (requests.size() != 1) {
            throw new AssertionError("Prefect should have received exactly one request, got " + requests.size() + ": "
                    + describe(requests));
        }
        return requests.get(0);
    }

    public int requestCount() {
        return server.getAllServeEvents().size();
    }

    private static String describe(List<LoggedRequest> requests) {
        StringBuilder s = new StringBuilder();
        for (LoggedRequest r : requests) {
            s.append("\n  ").append(r.getMethod()).append(' ').append(r.getUrl());
        }
        return s.toString();
    }

    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static final class MaskingNotifier implements Notifier {

        private static final Logger LOG = LoggerFactory.getLogger("wiremock");

        private static String mask(String message) {
            return message == null ? null : message.replace(TestKey.VALUE, "<KEY>");
        }

        @Override
        public void info(String message) {
            LOG.debug(mask(message));
        }

        @Override
        public void error(String message) {
            LOG.warn(mask(message));
        }

        @Override
        public void error(String message, Throwable t) {
            LOG.warn(mask(message) + " (" + t.getClass().getName() + ")");
        }
    }
}
