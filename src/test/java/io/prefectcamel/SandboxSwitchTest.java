package io.prefectcamel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.prefectcamel.sandbox.PrefectSandbox;
import io.prefectcamel.testing.FakeEnvironment;
import io.prefectcamel.testing.FreePort;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The sandbox settings are Camel properties: given in application.properties (through its {@code {{env:...}}}
 * defaults), as a system property, as an override property or as {@code --prop}, they reach the switch. The
 * developer's real environment never counts ({@link FakeEnvironment}).
 */
class SandboxSwitchTest {

    /** What the started context resolved, and the sandbox if one ran. */
    record Outcome(String apiUrl, String accountId, String workspaceId, PrefectSandbox sandbox) {
    }

    /**
     * Camel Main as the service builds it, with application.properties, the switch, the given environment and
     * whatever {@code setup} adds; no routes and no servers, so only the settings are exercised.
     */
    private static Outcome start(FakeEnvironment env, Consumer<Main> setup) throws Exception {
        Main main = new Main();
        main.addMainListener(env);
        SandboxSwitch sandbox = new SandboxSwitch();
        main.addMainListener(sandbox);
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("mcp.enabled", "false");
        setup.accept(main);
        try {
            main.start();
            var context = main.getCamelContext();
            return new Outcome(context.resolvePropertyPlaceholders("{{prefect.api-url}}"),
                    context.resolvePropertyPlaceholders("{{prefect.account-id}}"),
                    context.resolvePropertyPlaceholders("{{prefect.workspace-id}}"), sandbox.sandbox());
        } finally {
            main.stop();
            sandbox.afterStop(main);
        }
    }

    private static void assertServedOn(PrefectSandbox sandbox, int port) throws Exception {
        assertThat(sandbox).isNotNull();
        assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
    }

    @Test
    void withNoKeyAndNoUrlTheServiceRunsOnTheSandboxWithItsDemoIds() throws Exception {
        Outcome o = start(FakeEnvironment.of(Map.of()), main -> { });
        assertThat(o.sandbox()).isNotNull();
        assertThat(o.apiUrl()).isEqualTo(o.sandbox().baseUrl());
        assertThat(o.accountId()).isEqualTo(PrefectSandbox.DEMO_ACCOUNT_ID);
        assertThat(o.workspaceId()).isEqualTo(PrefectSandbox.DEMO_WORKSPACE_ID);
    }

    @Test
    void environmentVariablesReachTheSwitchThroughApplicationProperties() throws Exception {
        int port = FreePort.next();
        String workspace = "22222222-2222-4222-8222-222222222222";
        Outcome o = start(FakeEnvironment.of(Map.of("PREFECT_SANDBOX_PORT", Integer.toString(port),
                "PREFECT_WORKSPACE_ID", workspace)), main -> { });
        assertServedOn(o.sandbox(), port);
        assertThat(o.apiUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(o.accountId()).isEqualTo(PrefectSandbox.DEMO_ACCOUNT_ID);
        assertThat(o.workspaceId()).as("an id the user gave is kept").isEqualTo(workspace);
    }

    @Test
    void anApiKeyInTheEnvironmentKeepsTheSandboxOff() throws Exception {
        Outcome o = start(FakeEnvironment.of(Map.of("PREFECT_API_KEY", "pnu_settings_test_key")), main -> { });
        assertThat(o.sandbox()).isNull();
        assertThat(o.apiUrl()).isEqualTo(SandboxSwitch.PREFECT_CLOUD);
        assertThat(o.accountId()).isEmpty();
    }

    @Test
    void aSystemPropertyReachesTheSwitch() throws Exception {
        int port = FreePort.next();
        String previous = System.getProperty(SandboxSwitch.SANDBOX_PORT);
        System.setProperty(SandboxSwitch.SANDBOX_PORT, Integer.toString(port));
        try {
            assertServedOn(start(FakeEnvironment.withSystemProperties(Map.of()), main -> { }).sandbox(), port);
        } finally {
            if (previous == null) {
                System.clearProperty(SandboxSwitch.SANDBOX_PORT);
            } else {
                System.setProperty(SandboxSwitch.SANDBOX_PORT, previous);
            }
        }
    }

    @Test
    void aSystemPropertyTurnsTheSandboxOff() throws Exception {
        String previous = System.getProperty(SandboxSwitch.SANDBOX);
        System.setProperty(SandboxSwitch.SANDBOX, "false");
        try {
            Outcome o = start(FakeEnvironment.withSystemProperties(Map.of()), main -> { });
            assertThat(o.sandbox()).isNull();
            assertThat(o.apiUrl()).isEqualTo(SandboxSwitch.PREFECT_CLOUD);
        } finally {
            if (previous == null) {
                System.clearProperty(SandboxSwitch.SANDBOX);
            } else {
                System.setProperty(SandboxSwitch.SANDBOX, previous);
            }
        }
    }

    /** Over the variable application.properties reads; Camel's own mapping of the variable would still win. */
    @Test
    void anOverridePropertyWinsOverApplicationProperties() throws Exception {
        Outcome o = start(FakeEnvironment.of(Map.of("PREFECT_SANDBOX", "true")),
                main -> main.addOverrideProperty(SandboxSwitch.SANDBOX, "false"));
        assertThat(o.sandbox()).isNull();
    }

    @Test
    void propArgumentsOnTheCommandLineAreOverrideProperties() throws Exception {
        int port = FreePort.next();
        String[] rest = new String[1];
        Outcome o = start(FakeEnvironment.of(Map.of("PREFECT_SANDBOX", "false")), main -> rest[0] = String.join(" ",
                Application.takeProperties(new String[] {"--prop=prefect.sandbox=true", "-d", "5", "--prop",
                    "prefect.sandbox-port=" + port}, main)));
        assertServedOn(o.sandbox(), port);
        assertThat(rest[0]).as("Camel Main's own options are left to it").isEqualTo("-d 5");
    }

    @Test
    void anotherPrefectUrlWithoutAKeyKeepsTheSandboxOff() throws Exception {
        Outcome o = start(FakeEnvironment.of(Map.of("PREFECT_API_URL", "http://127.0.0.1:4200")), main -> { });
        assertThat(o.sandbox()).isNull();
        assertThat(o.apiUrl()).isEqualTo("http://127.0.0.1:4200");
    }

    @Test
    void aForcedSandboxDemandsTheKeyTheServiceSends() throws Exception {
        int port = FreePort.next();
        String key = "pnu_settings_test_forced_key";
        Map<String, String> env = new HashMap<>(Map.of("PREFECT_SANDBOX", "true", "PREFECT_API_KEY", key,
                "PREFECT_SANDBOX_PORT", Integer.toString(port)));
        Main main = new Main();
        main.addMainListener(FakeEnvironment.of(env));
        SandboxSwitch sandbox = new SandboxSwitch();
        main.addMainListener(sandbox);
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("mcp.enabled", "false");
        try {
            main.start();
            assertServedOn(sandbox.sandbox(), port);
            String url = sandbox.sandbox().baseUrl() + "/api/accounts/" + PrefectSandbox.DEMO_ACCOUNT_ID + "/workspaces/"
                    + PrefectSandbox.DEMO_WORKSPACE_ID + "/events/count-by/event";
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            assertThat(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(http.send(request.header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        } finally {
            main.stop();
            sandbox.afterStop(main);
        }
    }

    @Test
    void aForcedSandboxRefusesToStartWhenCamelPutsAnotherPrefectUrlFirst() {
        String previous = System.getProperty(SandboxSwitch.API_URL);
        System.setProperty(SandboxSwitch.API_URL, "http://127.0.0.1:1");
        try {
            assertThatThrownBy(() -> start(FakeEnvironment.withSystemProperties(Map.of("PREFECT_SANDBOX", "true",
                    "PREFECT_API_KEY", "pnu_settings_test_key")), main -> { }))
                    .hasMessageContaining("The embedded sandbox is on (prefect.sandbox=true), but prefect.api-url is also given")
                    .hasMessageNotContaining("pnu_settings_test_key");
        } finally {
            if (previous == null) {
                System.clearProperty(SandboxSwitch.API_URL);
            } else {
                System.setProperty(SandboxSwitch.API_URL, previous);
            }
        }
    }

    @Test
    void theDecision() {
        assertThat(SandboxSwitch.wanted(Map.<String, String>of()::get)).isTrue();
        assertThat(SandboxSwitch.wanted(Map.of("prefect.api-url", "https://api.prefect.cloud/", "prefect.api-key", " ")::get))
                .isTrue();
        assertThat(SandboxSwitch.wanted(Map.of("prefect.api-key", "k")::get)).isFalse();
        assertThat(SandboxSwitch.wanted(Map.of("prefect.api-url", "http://prefect.internal:4200")::get)).isFalse();
        assertThat(SandboxSwitch.wanted(Map.of("prefect.sandbox", " TRUE ", "prefect.api-key", "k")::get)).isTrue();
        assertThat(SandboxSwitch.wanted(Map.of("prefect.sandbox", "false")::get)).isFalse();
        assertThatThrownBy(() -> SandboxSwitch.wanted(Map.of("prefect.sandbox", "yes")::get))
                .hasMessageContaining("prefect.sandbox (PREFECT_SANDBOX) must be true, false or empty");
    }
}
