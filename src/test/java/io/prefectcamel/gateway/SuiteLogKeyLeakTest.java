package io.prefectcamel.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.prefectcamel.gateway.Fixtures.EVENTS;
import static io.prefectcamel.gateway.Fixtures.FACADE_WORKSPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import com.github.tomakehurst.wiremock.http.Fault;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.KeyLeakAppender;
import io.prefectcamel.testing.TestKey;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Prefect key never reaches a log line. Runs last (see junit-platform.properties), so the suite log it scans
 * holds the whole run; the service is made to log its failure paths here too, in case it runs alone.
 */
@Order(Integer.MAX_VALUE)
class SuiteLogKeyLeakTest {

    @RegisterExtension
    static final FacadeUnderTest facade = FacadeUnderTest.withTestDefaults();

    private static final Path SUITE_LOG = Paths.get(System.getProperty("basedir", "."), "target/test-logs/suite.log");

    @Test
    void theSuiteLogNeverHoldsTheKey() throws IOException {
        facade.prefect().stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(facade.client().get(FACADE_WORKSPACE + "/tags", "X-Request-Id", "leak-check-1").statusCode()).isEqualTo(502);
        assertThat(facade.client().post(FACADE_WORKSPACE + "/events", EVENTS, "X-Request-Id", "leak-check-2").statusCode()).isEqualTo(502);
        assertThat(facade.client().get(FACADE_WORKSPACE + "/tags?limit=0", "X-Request-Id", "leak-check-3").statusCode()).isEqualTo(400);

        List<String> lines = Files.readAllLines(SUITE_LOG, StandardCharsets.UTF_8);

        assertThat(lines).as("the suite log " + SUITE_LOG)
                .anySatisfy(l -> assertThat(l).contains("leak-check-1"))
                .anySatisfy(l -> assertThat(l).contains("leak-check-3", "Refused"))
                .noneMatch(TestKey::isIn);
    }

    @Test
    void theGuardRecognisesTheKeyWhereverItIs() {
        KeyLeakAppender guard = KeyLeakAppender.unregistered("self-check");
        SortedArrayStringMap mdc = new SortedArrayStringMap();
        mdc.putValue("auth", "Bearer " + TestKey.VALUE);

        guard.append(event("calling Prefect with " + TestKey.VALUE, null, null));
        guard.append(event("failed", new IllegalStateException("header was Bearer " + TestKey.VALUE), null));
        guard.append(event("a key cut short: " + TestKey.VALUE.substring(0, 24), null, null));
        guard.append(event("context", null, mdc));
        guard.append(event("calling Prefect with Bearer ****", null, null));

        assertThat(guard.recorded()).hasSize(4).noneMatch(l -> l.contains(TestKey.VALUE));
    }

    private static Log4jLogEvent event(String message, Throwable thrown, SortedArrayStringMap context) {
        Log4jLogEvent.Builder builder = Log4jLogEvent.newBuilder().setLoggerName("self-check").setLevel(Level.INFO)
                .setMessage(new SimpleMessage(message)).setThrown(thrown);
        if (context != null) {
            builder.setContextData(context);
        }
        return builder.build();
    }
}
