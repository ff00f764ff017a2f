package io.prefectcamel.kamelets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.Kamelet;
import org.apache.camel.v1.Pipe;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalog's files read as the Camel K custom resources they are ({@code org.apache.camel.k:camel-k-crds}), with
 * unknown fields refused, the way {@code kubectl apply} against the CRDs' schemas would.
 */
class CamelKResourcesTest {

    static final Path CATALOG = Path.of("kamelet-catalog");
    static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    static Stream<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList().stream();
        }
    }

    static Set<String> kameletNames() throws IOException {
        return files(CATALOG, ".kamelet.yaml").map(p -> p.getFileName().toString().replace(".kamelet.yaml", ""))
                .collect(Collectors.toSet());
    }

    @TestFactory
    Stream<DynamicTest> everyKameletIsACamelKKamelet() throws IOException {
        return files(CATALOG, ".kamelet.yaml").map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Kamelet k = STRICT.readValue(f.toFile(), Kamelet.class);
            assertThat(k.getApiVersion()).isEqualTo("camel.apache.org/v1");
            assertThat(k.getKind()).isEqualTo("Kamelet");
            assertThat(f.getFileName().toString()).isEqualTo(k.getMetadata().getName() + ".kamelet.yaml");
            assertThat(k.getSpec().getDefinition().getProperties()).isNotEmpty();
            assertThat(List.copyOf(k.getSpec().getDefinition().getRequired())).contains("apiKey");
            assertThat(List.copyOf(k.getSpec().getDependencies())).contains("camel:kamelet");
            assertThat(k.getSpec().getTemplate()).isNotNull();
            assertThat(k.getSpec().getTemplate().getAdditionalProperties().keySet()).contains("from");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyPipeIsACamelKPipeOfTheCatalogsKamelets() throws IOException {
        Set<String> kamelets = kameletNames();
        return files(CATALOG.resolve("pipes"), ".pipe.yaml").map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Pipe pipe = STRICT.readValue(f.toFile(), Pipe.class);
            assertThat(pipe.getKind()).isEqualTo("Pipe");
            assertThat(f.getFileName().toString()).isEqualTo(pipe.getMetadata().getName() + ".pipe.yaml");
            var source = pipe.getSpec().getSource();
            var sink = pipe.getSpec().getSink();
            List<String[]> refs = new java.util.ArrayList<>();
            if (source.getRef() != null) {
                refs.add(new String[] {source.getRef().getKind(), source.getRef().getName()});
            } else {
                assertThat(source.getUri()).isNotBlank();
            }
            if (sink.getRef() != null) {
                refs.add(new String[] {sink.getRef().getKind(), sink.getRef().getName()});
            } else {
                assertThat(sink.getUri()).isNotBlank();
            }
            if (pipe.getSpec().getSteps() != null) {
                pipe.getSpec().getSteps().stream().filter(s -> s.getRef() != null)
                        .forEach(s -> refs.add(new String[] {s.getRef().getKind(), s.getRef().getName()}));
            }
            assertThat(refs).as("a Prefect Kamelet").isNotEmpty();
            for (String[] ref : refs) {
                assertThat(ref[0]).isEqualTo("Kamelet");
                assertThat(kamelets).contains(ref[1]);
            }
            // the key is never written into a Pipe: it comes from the mounted Secret
            assertThat(Files.readString(f)).doesNotContain("pnu_").doesNotContain("apiKey")
                    .contains("trait.camel.apache.org/mount.configs: \"secret:prefect-credentials\"");
            if (source.getRef() != null && source.getRef().getName().endsWith("-source")) {
                assertThat(pipe.getSpec().getReplicas()).as("a polling source runs in one replica").isEqualTo(1);
                assertThat(pipe.getMetadata().getAnnotations()).containsEntry("trait.camel.apache.org/deployment.strategy", "Recreate");
            }
        }));
    }

    @Test
    void theIntegrationRunsTheServiceRoutesWithTheKeyFromTheSecret() throws IOException {
        Integration it = STRICT.readValue(CATALOG.resolve("camel-k/prefect-camel.integration.yaml").toFile(), Integration.class);
        List<String> routes;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            routes = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(it.getSpec().getSources()).extracting(src -> src.getName()).containsExactlyInAnyOrderElementsOf(routes);
        assertThat(it.getSpec().getSources()).allSatisfy(src -> {
            assertThat(src.getContentRef()).isEqualTo("prefect-camel-routes");
            assertThat(src.getContentKey()).isEqualTo(src.getName());
        });
        var env = integrationEnv(it, "PREFECT_API_KEY");
        assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("prefect-credentials");
        assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
        assertThat(it.getSpec().getTraits().getMount().getConfigs()).contains("configmap:prefect-camel-config");
        assertThat(Files.readString(Path.of("application.properties"))).contains("{{env:PREFECT_API_KEY");
    }

    static org.apache.camel.v1.integrationspec.template.spec.containers.Env integrationEnv(Integration it, String name) {
        return it.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the Integration sets no " + name));
    }

    @Test
    void theIntegrationServesMcpOnAllInterfacesBehindItsOwnService() throws IOException {
        Integration it = STRICT.readValue(CATALOG.resolve("camel-k/prefect-camel.integration.yaml").toFile(), Integration.class);
        // the mounted ConfigMap is application.properties, which starts the MCP server and maps the variables below
        Properties app = new Properties();
        try (var in = Files.newBufferedReader(Path.of("application.properties"))) {
            app.load(in);
        }
        assertThat(app.getProperty("camel.main.routes-builder-classes")).isEqualTo("io.prefectcamel.mcp.McpRoutes");
        assertThat(app.getProperty("mcp.enabled")).startsWith("{{env:MCP_ENABLED:").endsWith(":true}}");
        assertThat(app.getProperty("mcp.host")).startsWith("{{env:MCP_HOST:");
        assertThat(app.getProperty("mcp.port")).startsWith("{{env:MCP_PORT:");
        assertThat(app.getProperty("mcp.allowed-hosts")).startsWith("{{env:MCP_ALLOWED_HOSTS:");

        assertThat(integrationEnv(it, "MCP_HOST").getValue()).isEqualTo("0.0.0.0");
        int port = Integer.parseInt(integrationEnv(it, "MCP_PORT").getValue());
        assertThat(port).isNotEqualTo(it.getSpec().getTraits().getContainer().getPort().intValue());
        var container = it.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("mcp");
            assertThat(p.getContainerPort()).isEqualTo(port);
        });

        Service service = STRICT.readValue(CATALOG.resolve("camel-k/prefect-camel-mcp.service.yaml").toFile(), Service.class);
        assertThat(service.getSpec().getSelector()).containsEntry("camel.apache.org/integration", it.getMetadata().getName());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(port);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(port);
        });
        // with replicas, every pod signs and checks session ids with the same key (a Secret shared by all), and
        // affinity keeps a client's GET stream on one pod
        if (it.getSpec().getReplicas() != null && it.getSpec().getReplicas() > 1) {
            assertThat(service.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
            var secret = integrationEnv(it, "MCP_SESSION_SECRET").getValueFrom().getSecretKeyRef();
            assertThat(secret.getName()).isEqualTo("prefect-camel-mcp");
            assertThat(secret.getKey()).isEqualTo("session-secret");
            assertThat(app.getProperty("mcp.session-secret")).startsWith("{{env:MCP_SESSION_SECRET:");
        }
        // clients reach it by the Service's name, which the MCP server must accept as Host
        assertThat(List.of(integrationEnv(it, "MCP_ALLOWED_HOSTS").getValue().split(",")))
                .contains(service.getMetadata().getName() + ":*");
    }

    @Test
    void theSecretIsATemplateWithPlaceholdersOnly() throws IOException {
        Secret secret = STRICT.readValue(CATALOG.resolve("camel-k/prefect-credentials.secret.yaml").toFile(), Secret.class);
        assertThat(secret.getMetadata().getName()).isEqualTo("prefect-credentials");
        assertThat(secret.getData()).isNullOrEmpty();
        assertThat(secret.getStringData()).containsOnlyKeys("api-key", "prefect.properties");
        assertThat(secret.getStringData().get("api-key")).isEqualTo("REPLACE_WITH_YOUR_PREFECT_API_KEY");
        Properties kamelets = new Properties();
        kamelets.load(new StringReader(secret.getStringData().get("prefect.properties")));
        for (String kamelet : List.of("prefect-events-source", "prefect-events-sink")) {
            assertThat(kamelets).containsEntry("camel.kamelet." + kamelet + ".apiKey", "REPLACE_WITH_YOUR_PREFECT_API_KEY")
                    .containsKeys("camel.kamelet." + kamelet + ".accountId", "camel.kamelet." + kamelet + ".workspaceId");
        }
    }
}
