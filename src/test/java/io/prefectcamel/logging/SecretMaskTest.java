package io.prefectcamel.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefectcamel.call.Secrets;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

/** Credentials are masked in log text whatever prints them; ordinary text is left as it is, unchanged. */
class SecretMaskTest {

    /** A key of Prefect's shape, made for the run (no key-like text is committed). */
    private static final String KEY = "pnu_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 28)
            + "ABCDEFGH";

    @Test
    void masksBearerValuesInEveryFormTheyAreLogged() {
        assertThat(SecretMask.mask("Authorization: Bearer " + KEY)).isEqualTo("Authorization: Bearer ****");
        assertThat(SecretMask.mask("{\"Authorization\": \"Bearer abc.def-ghi\"}")).isEqualTo("{\"Authorization\": \"Bearer ****\"}");
        assertThat(SecretMask.mask("http-outgoing-0 >> \"Authorization: Bearer " + KEY + "[\\r][\\n]\""))
                .isEqualTo("http-outgoing-0 >> \"Authorization: Bearer ****[\\r][\\n]\"");
        assertThat(SecretMask.mask("http-outgoing-0 >> authorization: bearer x")).isEqualTo("http-outgoing-0 >> authorization: bearer ****");
        assertThat(SecretMask.mask("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: Basic ****");
    }

    @Test
    void masksPrefectKeysWhereverTheyStand() {
        assertThat(SecretMask.mask("Found property: x with value: " + KEY + " to be used."))
                .isEqualTo("Found property: x with value: **** to be used.");
        assertThat(SecretMask.mask("kamelet:prefect-api-action?apiKey=pnb_abc_DEF&apiUrl=x")).isEqualTo("kamelet:prefect-api-action?apiKey=****&apiUrl=x");
    }

    @Test
    void masksTheRegisteredKeyEvenWhenItLooksLikeNoToken() {
        Secrets.register("s3cr3t-l00ks-like-nothing");
        assertThat(SecretMask.mask("value s3cr3t-l00ks-like-nothing here")).isEqualTo("value **** here");
    }

    @Test
    void masksCamelsPropertyLinesBySecretPropertyNames() {
        String camel = "org.apache.camel.component.properties.DefaultPropertiesParser";
        assertThat(SecretMask.mask(camel, "Found property: prefect.api-key with value: opaque-value to be used."))
                .isEqualTo("Found property: prefect.api-key with value: **** to be used.");
        assertThat(SecretMask.mask(camel, "Found local property: apiKey with value: opaque-value to be used."))
                .isEqualTo("Found local property: apiKey with value: **** to be used.");
        assertThat(SecretMask.mask(camel, "Property with key [env:PREFECT_API_KEY:] applied by function [env] -> opaque"))
                .isEqualTo("Property with key [env:PREFECT_API_KEY:] applied by function [env] -> ****");
        assertThat(SecretMask.mask("org.apache.camel.impl.engine.X", "Resolved text: {{prefect.api-key}} -> opaque"))
                .isEqualTo("Resolved text: {{prefect.api-key}} -> ****");
        assertThat(SecretMask.mask(camel, "lookup(name: prefect.api-key default: null) -> opaque"))
                .isEqualTo("lookup(name: prefect.api-key default: null) -> ****");
        String port = "Found property: camel.server.port with value: 8080 to be used.";
        assertThat(SecretMask.mask(camel, port)).isSameAs(port);
    }

    @Test
    void leavesOrdinaryTextAloneAndUncopied() {
        String line = "GET listTags -> GET /api/accounts/a/workspaces/w/ui/tags (basically fine, pn_x)";
        assertThat(SecretMask.mask(line)).isSameAs(line);
        assertThat(SecretMask.mask((String) null)).isNull();
    }

    @Test
    void theEventFactoryMasksMessagesAndExceptions() {
        MaskingLogEventFactory factory = new MaskingLogEventFactory();
        LogEvent event = factory.createEvent("org.apache.hc.client5.http.headers", null, "fqcn", Level.DEBUG,
                new ParameterizedMessage("{} >> {}", "http-outgoing-0", "Authorization: Bearer " + KEY), null,
                new IllegalStateException("failed with Bearer " + KEY, new RuntimeException("key " + KEY)));
        assertThat(event.getMessage().getFormattedMessage()).isEqualTo("http-outgoing-0 >> Authorization: Bearer ****");
        assertThat(event.getThrown().getMessage()).isEqualTo("failed with Bearer ****");
        assertThat(event.getThrown().toString()).startsWith("java.lang.IllegalStateException: ");
        assertThat(event.getThrown().getCause().getMessage()).isEqualTo("key ****");

        ParameterizedMessage plain = new ParameterizedMessage("{} started", "route");
        IllegalStateException failure = new IllegalStateException("no secret");
        LogEvent untouched = factory.createEvent("x", null, "fqcn", Level.INFO, plain, null, failure);
        assertThat(untouched.getMessage()).isSameAs(plain);
        assertThat(untouched.getThrown()).isSameAs(failure);
    }
}
