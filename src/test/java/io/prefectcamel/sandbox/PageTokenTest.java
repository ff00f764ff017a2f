package io.prefectcamel.sandbox;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static io.prefectcamel.sandbox.Fixtures.ACCOUNT;
import static io.prefectcamel.sandbox.Fixtures.WORKSPACE;
import static io.prefectcamel.sandbox.Fixtures.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageTokenTest {

    private final PageToken.Codec codec = new PageToken.Codec();
    private final PageToken token = new PageToken(ACCOUNT, WORKSPACE, filter("{\"event\":{\"prefix\":[\"prefect.\"]}}").normalized,
            50, 1234, 99, 1_768_478_400_000_000L, "5e7a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b");

    @Test
    void roundTrip() {
        String encoded = codec.encode(token);
        assertThat(encoded).matches("[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+");
        PageToken decoded = codec.decode(encoded);
        assertThat(decoded).isEqualTo(token);
    }

    @Test
    void accountLevelTokenKeepsANullWorkspace() {
        PageToken accountLevel = new PageToken(ACCOUNT, null, token.filter(), 10, 3, 4, 5, "x");
        assertThat(codec.decode(codec.encode(accountLevel)).workspace()).isNull();
    }

    @Test
    void tamperedPayloadIsRejected() {
        String encoded = codec.encode(token);
        int dot = encoded.indexOf('.');
        String json = new String(Base64.getUrlDecoder().decode(encoded.substring(0, dot)));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(json.replace("\"l\":50", "\"l\":200").getBytes())
                + encoded.substring(dot);
        assertThat(json).contains("\"l\":50");
        assertForbidden(forged);
    }

    @Test
    void tamperedSignatureIsRejected() {
        String encoded = codec.encode(token);
        int dot = encoded.lastIndexOf('.');
        char first = encoded.charAt(dot + 1);
        assertForbidden(encoded.substring(0, dot + 1) + (first == 'A' ? 'B' : 'A') + encoded.substring(dot + 2));
        // the last character carries two unused bits: another spelling of the same bytes is refused too
        char last = encoded.charAt(encoded.length() - 1);
        assertForbidden(encoded.substring(0, encoded.length() - 1) + (last == 'A' ? 'B' : 'A'));
    }

    @Test
    void garbageIsRejected() {
        assertForbidden("");
        assertForbidden("garbage");
        assertForbidden("a.b");
        assertForbidden("!!!.???");
    }

    @Test
    void tokensFromAnotherSandboxAreRejected() {
        assertForbidden(new PageToken.Codec().encode(token));
    }

    private void assertForbidden(String raw) {
        assertThatThrownBy(() -> codec.decode(raw)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status).isEqualTo(403);
            assertThat(e.body.path("detail").asText()).isEqualTo("Forbidden");
        });
    }
}
