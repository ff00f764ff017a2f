package io.prefectcamel.auth;

import static io.prefectcamel.auth.AuthFixtures.FACADE_WORKSPACE;
import static io.prefectcamel.auth.AuthFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import io.prefectcamel.mcp.McpServerService;
import io.prefectcamel.testing.FacadeUnderTest;
import io.prefectcamel.testing.FakePrefect;
import io.prefectcamel.testing.KeyLeakCheck;
import io.prefectcamel.testing.ServiceUnderTest;
import io.prefectcamel.testing.TestKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With a Prefect key and no facade.auth.mode the service authenticates its callers: there is no way to end up open. */
@ExtendWith(KeyLeakCheck.class)
class SecureDefaultTest {

    @Test
    void aKeyAndNoModeMeansTokens() {
        try (FakePrefect prefect = FakePrefect.start();
                ServiceUnderTest service = ServiceUnderTest.builder().prefect(prefect.url(), TestKey.VALUE)
                        .properties(FacadeUnderTest.TEST_DEFAULTS)
                        .property("facade.auth.mode", "")
                        .property("facade.auth.tokens-file", AuthFixtures.tempStore().toString())
                        .property("mcp.enabled", "true")
                        .start()) {
            HttpResponse<String> rest = send("POST", service.baseUrl() + FACADE_WORKSPACE + "/events/filter", "{}",
                    "Content-Type", "application/json");
            int mcpPort = service.camelContext().hasService(McpServerService.class).getPort();
            HttpResponse<String> mcp = send("POST", "http://127.0.0.1:" + mcpPort + "/mcp", JwtAuthTest.initialize(),
                    "Content-Type", "application/json", "Accept", "application/json, text/event-stream");

            assertThat(rest.statusCode()).isEqualTo(401);
            assertThat(mcp.statusCode()).isEqualTo(401);
            assertThat(prefect.requestCount()).isZero();
        }
    }
}
