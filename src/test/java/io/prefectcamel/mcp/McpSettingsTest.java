package io.prefectcamel.mcp;

import java.util.Map;
import java.util.Properties;

import io.prefectcamel.testing.FakeEnvironment;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class McpSettingsTest {

    private static McpSettings settings(Map<String, String> properties) throws Exception {
        return settings(properties, Map.of());
    }

    /** The settings a context with these properties gives, in an environment holding only these variables. */
    private static McpSettings settings(Map<String, String> properties, Map<String, String> env) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            FakeEnvironment.of(env).applyTo(context);
            Properties props = new Properties();
            props.putAll(properties);
            context.getPropertiesComponent().setInitialProperties(props);
            return McpSettings.from(context);
        }
    }

    @Test
    void safeDefaults() throws Exception {
        McpSettings s = settings(Map.of());
        assertThat(s.enabled()).isTrue();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.path()).isEqualTo("/mcp");
        assertThat(s.toolsets()).containsExactly("events");
        assertThat(s.readOnly()).isFalse();
        assertThat(s.testFixtures()).isFalse();
        assertThat(s.sharesRestPort()).isFalse();
        assertThat(s.allowedOrigins()).contains("http://localhost:*", "http://127.0.0.1:*");
    }

    @Test
    void placeholdersListsAndSharedPort() throws Exception {
        McpSettings s = settings(Map.of("mcp.port", "{{env:PREFECT_CAMEL_NO_SUCH_VAR:8080}}", "mcp.path", "agents/",
                "mcp.allowed-origins", "https://a.example.com, http://b.internal:*", "mcp.toolsets", "events,admin",
                "prefect.workspace-id", " 22222222-2222-4222-8222-222222222222 "));
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.sharesRestPort()).isTrue();
        assertThat(s.path()).isEqualTo("/agents");
        assertThat(s.allowedOrigins()).contains("https://a.example.com", "http://b.internal:*");
        assertThat(s.toolsets()).containsExactly("events", "admin");
        assertThat(s.defaultWorkspaceId()).isEqualTo("22222222-2222-4222-8222-222222222222");
    }

    @Test
    void theDefaultIdsComeFromCamelPropertiesOnly() throws Exception {
        String account = "11111111-1111-4111-8111-111111111111";
        Map<String, String> env = Map.of("PREFECT_ACCOUNT_ID", account, "PREFECT_WORKSPACE_ID", account);
        // the variables alone are not read behind Camel's back ...
        McpSettings none = settings(Map.of(), env);
        assertThat(none.defaultAccountId()).isNull();
        assertThat(none.defaultWorkspaceId()).isNull();
        // ... they count through the properties that name them, as application.properties does
        McpSettings mapped = settings(Map.of("prefect.account-id", "{{env:PREFECT_ACCOUNT_ID:}}",
                "prefect.workspace-id", "{{env:PREFECT_WORKSPACE_ID:}}"), env);
        assertThat(mapped.defaultAccountId()).isEqualTo(account);
        assertThat(mapped.defaultWorkspaceId()).isEqualTo(account);
    }
}
