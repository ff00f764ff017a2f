package io.prefectcamel.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UUID check of ids (request parameters, JWT claims, Kamelet arguments), without a regular expression. */
class PrefectIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f", "9B2C3F1E-5D4A-4C6B-8E7F-0A1B2C3D4E5F",
            "00000000-0000-0000-0000-000000000000"})
    void hyphenatedUuidsPass(String value) {
        assertThat(PrefectIds.isUuid(value)).isTrue();
        assertThat(value).matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    @org.junit.jupiter.api.Test
    void noValueIsNoUuid() {
        assertThat(PrefectIds.isUuid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9b2c3f1e5d4a4c6b8e7f0a1b2c3d4e5f", "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5", "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5f0",
            "9b2c3f1e-5d4a-4c6b-8e7f_0a1b2c3d4e5f", "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5g", "{9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e}",
            "9b2c3f1e-5d4a-4c6b-8e7f-0a1b2c3d4e5\u0661", "9b2c3f1e--d4a-4c6b-8e7f-0a1b2c3d4e5f"})
    void anythingElseFails(String value) {
        assertThat(PrefectIds.isUuid(value)).isFalse();
        assertThat(value).doesNotMatch("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }
}
