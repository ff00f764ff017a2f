package io.prefectcamel.mcp;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class McpSettingsTest {

    private static McpSettings settings(Map<String, String> properties) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
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
}
