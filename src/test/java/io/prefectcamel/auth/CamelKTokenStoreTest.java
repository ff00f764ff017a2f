package io.prefectcamel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** On Camel K the token store is a Secret mounted as a directory, named by FACADE_AUTH_TOKENS_FILE. */
class CamelKTokenStoreTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theIntegrationMountsTheTokenStoreFromASecret() throws Exception {
        JsonNode it = YAML.readTree(Path.of("kamelet-catalog/camel-k/prefect-camel.integration.yaml").toFile());
        JsonNode secret = YAML.readTree(Path.of("kamelet-catalog/camel-k/prefect-camel-tokens.secret.yaml").toFile());

        assertThat(it.at("/spec/traits/mount/resources").toString()).contains("secret:prefect-camel-tokens@/etc/prefect-camel/tokens");
        assertThat(it.at("/spec/template/spec/containers/0/env").toString())
                .contains("FACADE_AUTH_TOKENS_FILE", "/etc/prefect-camel/tokens/tokens.json");
        assertThat(secret.at("/metadata/name").asText()).isEqualTo("prefect-camel-tokens");
        TokenStore store = TokenStore.parse(secret.at("/stringData/tokens.json").asText().getBytes());
        assertThat(store.entries()).isEmpty();
    }
}
