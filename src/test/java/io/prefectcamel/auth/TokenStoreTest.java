package io.prefectcamel.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The token store and the `tokens` command line: hashes only, a token shown once, secure defaults. */
class TokenStoreTest {

    private final Path file = AuthFixtures.tempStore();

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run tokens(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new TokensCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                key -> key.equals("facade.auth.tokens-file") ? file.toString() : "").run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTokensFormIsTestedAsItsPatternSays() {
        java.util.Random random = new java.util.Random(61);
        String real = TokenStore.PREFIX + "0123456789ab_" + "A".repeat(20) + "z9_-" + "b".repeat(19);
        String chars = "pcat_0123456789abcdefABCDEFXYZxyz-_+/= é";
        int matching = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(real);
            // a few characters of a well-formed token changed, dropped or added anywhere in it
            for (int k = random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(s.length() + 1);
                char c = chars.charAt(random.nextInt(chars.length()));
                switch (random.nextInt(3)) {
                    case 0 -> s.insert(at, c);
                    case 1 -> { if (at < s.length()) s.deleteCharAt(at); }
                    default -> { if (at < s.length()) s.setCharAt(at, c); }
                }
            }
            String token = s.toString();
            boolean expected = TokenStore.TOKEN.matcher(token).matches();
            matching += expected ? 1 : 0;
            assertThat(TokenStore.wellFormed(token)).as(token).isEqualTo(expected);
        }
        assertThat(matching).isBetween(2_000, 18_000);
        assertThat(TokenStore.wellFormed(null)).isFalse();
    }

    @Test
    void createPrintsTheTokenOnceAsTheLastLineAndStoresOnlyAHash() throws Exception {
        Run created = tokens("create", "--name", "ci", "--scopes", "events:read,events:write", "--workspaces",
                AuthFixtures.WORKSPACE, "--expires-in", "30d");

        assertThat(created.code()).as(created.err()).isZero();
        String token = created.lines().get(created.lines().size() - 1);
        assertThat(token).matches("pcat_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        assertThat(created.out().indexOf(token)).isEqualTo(created.out().lastIndexOf(token));
        String stored = Files.readString(file);
        assertThat(stored).doesNotContain(token).doesNotContain(token.substring(18)).contains("\"hash\"", "\"salt\"");

        TokenStore store = TokenStore.read(file);
        assertThat(store.verify(token, Instant.now())).isInstanceOf(TokenStore.Verdict.Valid.class);
        String altered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertThat(store.verify(altered, Instant.now())).isInstanceOf(TokenStore.Verdict.Refused.class);
        assertThat(store.verify(token, Instant.now().plusSeconds(31L * 24 * 3600)))
                .isEqualTo(new TokenStore.Verdict.Refused("expired token"));
        TokenStore.Verdict valid = store.verify(token, Instant.now());
        assertThat(((TokenStore.Verdict.Valid) valid).caller().scopes()).containsExactlyInAnyOrder("events:read",
                "events:write");

        // an expiry someone broke by hand in the file: the token is refused as expired, not let through
        Files.writeString(file, stored.replaceFirst("\"expires\" : \"[^\"]+\"", "\"expires\" : \"next week\""));
        assertThat(TokenStore.read(file).verify(token, Instant.now()))
                .isEqualTo(new TokenStore.Verdict.Refused("expired token"));
    }

    @Test
    void listShowsEverythingButTheTokenAndRevokeRemovesIt() {
        Run created = tokens("create", "--name", "reader", "--scopes", "events:read");
        String token = created.lines().get(created.lines().size() - 1);

        Run list = tokens("list");
        assertThat(list.out()).contains("reader", "events:read", "never").doesNotContain(token)
                .doesNotContain(token.substring(18));

        assertThat(tokens("revoke", "reader").code()).isZero();
        assertThat(tokens("list").out()).doesNotContain("reader ");
        assertThat(tokens("revoke", "reader").code()).isOne();
    }

    @Test
    void badInputIsRefused() {
        assertThat(tokens("create", "--name", "x", "--scopes", "events:everything").err()).contains("Unknown scope");
        assertThat(tokens("create", "--name", "x").err()).contains("at least one scope");
        assertThat(tokens("create", "--name", "x", "--scopes", "events:read", "--accounts", "nope").err()).contains("UUIDs");
        assertThat(tokens("create", "--name", "dup", "--scopes", "events:read").code()).isZero();
        assertThat(tokens("create", "--name", "dup", "--scopes", "events:read").err()).contains("exists");
    }

    @Test
    void theModeIsTokensWithAKeyAndNoneOnlyWithoutOneOrWhenWrittenOut() {
        assertThat(AuthSettings.from(k -> Map.of("prefect.api-key", "pnu_x").getOrDefault(k, "")).mode()).isEqualTo(AuthSettings.Mode.TOKENS);
        assertThat(AuthSettings.from(k -> "").mode()).isEqualTo(AuthSettings.Mode.NONE);
        AuthSettings explicit = AuthSettings.from(k -> Map.of("prefect.api-key", "pnu_x", "facade.auth.mode", "none").getOrDefault(k, ""));
        assertThat(explicit.mode()).isEqualTo(AuthSettings.Mode.NONE);
        assertThat(explicit.explicit()).isTrue();
        assertThatThrownBy(() -> AuthSettings.from(k -> Map.of("facade.auth.mode", "open").getOrDefault(k, "")))
                .hasMessageContaining("none, tokens or jwt");
    }
}
