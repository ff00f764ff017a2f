package io.prefectcamel.auth;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.apache.camel.CamelContext;

/**
 * How callers authenticate, from Camel properties (the {@code ## Callers} section of application.properties).
 *
 * @param mode        none, tokens or jwt; unset: tokens when a Prefect key is configured, none without one
 * @param explicit    true when the mode was set, false when it was derived
 * @param keyConfigured true when the service holds a Prefect API key
 */
public record AuthSettings(Mode mode, boolean explicit, boolean keyConfigured, Path tokensFile, String jwks,
        String issuer, String audience, List<String> authorizationServers, List<String> corsOrigins,
        double defaultRatePerSecond, int defaultMaxConcurrent) {

    public enum Mode { NONE, TOKENS, JWT }

    public static final String DEFAULT_TOKENS_FILE = "prefect-camel-tokens.json";

    public static AuthSettings from(CamelContext context) {
        return from(key -> context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse(""));
    }

    public static AuthSettings from(Function<String, String> p) {
        boolean key = !p.apply("prefect.api-key").isEmpty();
        String m = p.apply("facade.auth.mode").toLowerCase(Locale.ROOT);
        Mode mode;
        if (m.isEmpty()) {
            mode = key ? Mode.TOKENS : Mode.NONE;
        } else {
            try {
                mode = Mode.valueOf(m.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("facade.auth.mode must be none, tokens or jwt, not " + m);
            }
        }
        String file = p.apply("facade.auth.tokens-file");
        return new AuthSettings(mode, !m.isEmpty(), key, Path.of(file.isEmpty() ? DEFAULT_TOKENS_FILE : file),
                p.apply("facade.auth.jwt.jwks"), p.apply("facade.auth.jwt.issuer"), p.apply("facade.auth.jwt.audience"),
                list(p.apply("facade.auth.jwt.authorization-servers")), list(p.apply("facade.cors.allowed-origins")),
                number(p, "facade.auth.rate-limit.per-second", 20), (int) number(p, "facade.auth.rate-limit.max-concurrent", 8));
    }

    private static double number(Function<String, String> p, String key, double def) {
        String v = p.apply(key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            double d = Double.parseDouble(v);
            if (d <= 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive number, got: " + v);
        }
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** True for an Origin listed in facade.cors.allowed-origins (exactly, or {@code *} for any). */
    public boolean corsAllows(String origin) {
        return origin != null && (corsOrigins.contains(origin) || corsOrigins.contains("*"));
    }
}
