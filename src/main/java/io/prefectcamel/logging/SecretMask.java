package io.prefectcamel.logging;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.prefectcamel.call.Secrets;

/**
 * Masks credentials in log text: the value after {@code Bearer} / {@code Basic} (an {@code Authorization} header
 * as Camel, HttpClient's header log or its wire log print it), Prefect keys ({@code pnu_...}, {@code pnb_...})
 * wherever they stand, and the exact secret values registered with {@link Secrets} (the configured Prefect key,
 * whatever it looks like) or given to the process as {@code PREFECT_API_KEY} / {@code -Dprefect.api-key}.
 * <p>
 * Cost: text without {@code bearer}, {@code basic }, {@code pn?_} or a registered value is scanned once and returned
 * as it is (the same instance); only a line that holds one of them goes through the regular expressions.
 */
public final class SecretMask {

    public static final String MASK = "****";

    private static final Pattern SCHEME = Pattern.compile("(?i)\\b(bearer|basic)(\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern PREFECT_KEY = Pattern.compile("(?<![A-Za-z0-9])pn[ub]_[A-Za-z0-9_-]+");
    private static final String[] FROM_START = { System.getenv("PREFECT_API_KEY"), System.getProperty("prefect.api-key") };

    static {
        for (String value : FROM_START) {
            Secrets.register(value);
        }
    }

    /** Camel's lines that print a property's value (its parser at DEBUG, its lookup and bean binding at TRACE). */
    private static final Pattern[] CAMEL_PROPERTY_LINES = {
        Pattern.compile("(?<head>Found (?:local |an OS environment |a JVM system )?property(?: \\(custom lookup\\))?: "
                + "(?<name>\\S+) with value: )(?<value>.*?)(?<tail> to be used\\.|$)"),
        Pattern.compile("(?<head>(?:lookup\\(|Property \\()name: (?<name>\\S+) default: .*?\\) "
                + "(?:resolved from source: \\S+ )?-> )(?<value>.*)(?<tail>)"),
        Pattern.compile("(?<head>(?:Resolved text:|Parsed uri) (?<name>.*?) -> )(?<value>.*)(?<tail>)"),
        Pattern.compile("(?<head>Property with key \\[(?<name>[^\\]]*)\\] applied by function \\[[^\\]]*\\] -> )(?<value>.*)(?<tail>)"),
        Pattern.compile("(?<head>Configured property: (?<name>\\S+) on bean: .*? with value: )(?<value>.*)(?<tail>)"),
    };
    /** Property names whose values are secrets. */
    private static final Pattern SENSITIVE_NAME = Pattern.compile("(?i)key|secret|password|passwd|token|credential");

    private SecretMask() {
    }

    /**
     * As {@link #mask(String)}, and for Camel's loggers also the value in the lines where Camel prints a property
     * it resolved, when the property's name says it is a secret ({@code ...key}, {@code ...password}, ...): so a
     * key that looks like no token is masked even before the service has registered it.
     */
    public static String mask(String loggerName, String text) {
        String masked = mask(text);
        if (masked != null && loggerName != null && loggerName.startsWith("org.apache.camel")
                && (masked.contains("with value: ") || masked.contains(" -> ")) && SENSITIVE_NAME.matcher(masked).find()) {
            for (Pattern line : CAMEL_PROPERTY_LINES) {
                Matcher m = line.matcher(masked);
                if (m.find() && SENSITIVE_NAME.matcher(m.group("name")).find() && !m.group("value").isEmpty()
                        && !MASK.equals(m.group("value"))) {
                    masked = masked.substring(0, m.start()) + m.group("head") + MASK + m.group("tail")
                            + masked.substring(m.end());
                    break;
                }
            }
        }
        return masked;
    }

    /** The text with every credential in it masked; the same instance when there is none. */
    public static String mask(String text) {
        if (text == null || !suspicious(text)) {
            return text;
        }
        String masked = text;
        for (String secret : Secrets.values()) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        Matcher scheme = SCHEME.matcher(masked);
        if (scheme.find()) {
            masked = scheme.replaceAll("$1$2" + MASK);
        }
        Matcher key = PREFECT_KEY.matcher(masked);
        if (key.find()) {
            masked = key.replaceAll(MASK);
        }
        return masked;
    }

    /** Whether the text may hold a credential: one cheap pass, no regular expression. */
    static boolean suspicious(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if ((c == 'b' || c == 'B') && (text.regionMatches(true, i, "bearer", 0, 6)
                    || text.regionMatches(true, i, "basic", 0, 5))) {
                return true;
            }
            if (c == 'p' && i + 3 < n && text.charAt(i + 1) == 'n' && text.charAt(i + 3) == '_'
                    && (text.charAt(i + 2) == 'u' || text.charAt(i + 2) == 'b')) {
                return true;
            }
        }
        Set<String> secrets = Secrets.values();
        if (!secrets.isEmpty()) {
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    return true;
                }
            }
        }
        return false;
    }
}
