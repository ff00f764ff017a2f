package io.prefectcamel.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code java -jar target/prefect-camel.jar tokens create|list|revoke}: manages the token store named by
 * {@code facade.auth.tokens-file} (FACADE_AUTH_TOKENS_FILE). {@code create} prints the new token as the last line of
 * standard output, once; the store keeps only its salted hash.
 */
public final class TokensCommand {

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final String USAGE = """
            Usage: java -jar target/prefect-camel.jar tokens <command>
              create --name NAME --scopes S1,S2 [--accounts A1,A2] [--workspaces W1,W2] [--expires-in 30d]
                     [--rate CALLS_PER_SECOND] [--concurrency CALLS]
                                 makes a token and prints it as the last line (shown once, stored as a hash)
              list               names, scopes, restrictions, expiry and last use (never a token)
              revoke NAME        removes the token; a running service refuses it within seconds
            Scopes: events:read, events:write, admin:read, admin:write.
            The store is facade.auth.tokens-file (FACADE_AUTH_TOKENS_FILE), or --file PATH.""";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> settings;

    public TokensCommand(PrintStream out, PrintStream err, Function<String, String> settings) {
        this.out = out;
        this.err = err;
        this.settings = settings;
    }

    /** Runs the command with the service's settings (application.properties, environment, system properties). */
    public static int main(String[] args) throws Exception {
        String file;
        // read the setting, then close the context before printing: the token stays the last line of the output
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            file = context.getPropertiesComponent().resolveProperty("facade.auth.tokens-file").map(String::trim).orElse("");
        }
        return new TokensCommand(System.out, System.err, key -> key.equals("facade.auth.tokens-file") ? file : "").run(args);
    }

    public int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println("Missing the value of " + args[i]);
                    return 2;
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        String file = options.remove("file");
        Path path = Path.of(file != null ? file : settings.apply("facade.auth.tokens-file").isEmpty()
                ? AuthSettings.DEFAULT_TOKENS_FILE : settings.apply("facade.auth.tokens-file"));
        try {
            TokenStore store = TokenStore.read(path);
            return switch (args[0]) {
                case "create" -> create(store, path, options);
                case "list" -> list(store, path);
                case "revoke" -> revoke(store, path, positional);
                default -> {
                    err.println("Unknown command " + args[0] + "\n" + USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("Cannot use the token store " + path + ": " + e.getMessage());
            return 1;
        }
    }

    private int create(TokenStore store, Path path, Map<String, String> o) throws IOException {
        for (String k : o.keySet()) {
            if (!List.of("name", "scopes", "accounts", "workspaces", "expires-in", "rate", "concurrency").contains(k)) {
                throw new IllegalArgumentException("Unknown option --" + k + "\n" + USAGE);
            }
        }
        Instant expires = o.containsKey("expires-in") ? Instant.now().plus(duration(o.get("expires-in")))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : null;
        Double rate = o.containsKey("rate") ? positive(o.get("rate"), "--rate") : null;
        Integer concurrency = o.containsKey("concurrency") ? (int) positive(o.get("concurrency"), "--concurrency") : null;
        TokenStore.Created created = store.create(o.get("name"), list(o.get("scopes")), uuids(o.get("accounts"), "--accounts"),
                uuids(o.get("workspaces"), "--workspaces"), expires, rate, concurrency);
        created.store().write(path);
        TokenStore.Entry e = created.entry();
        out.println("Created token " + e.name() + " (scopes " + String.join(",", e.scopes())
                + (e.accounts().isEmpty() ? "" : "; accounts " + String.join(",", e.accounts()))
                + (e.workspaces().isEmpty() ? "" : "; workspaces " + String.join(",", e.workspaces()))
                + (e.expires() == null ? "; no expiry" : "; expires " + e.expires()) + ") in " + path + ".");
        out.println("It is shown once, here; the store keeps only its hash. Send it as 'Authorization: Bearer <token>':");
        out.println(created.token());
        return 0;
    }

    private int list(TokenStore store, Path path) {
        Map<String, String> used = lastUsed(path);
        out.printf("%-24s %-40s %-14s %-14s %-22s %s%n", "NAME", "SCOPES", "ACCOUNTS", "WORKSPACES", "EXPIRES", "LAST USED");
        Instant now = Instant.now();
        for (TokenStore.Entry e : store.entries()) {
            out.printf("%-24s %-40s %-14s %-14s %-22s %s%n", e.name(), String.join(",", e.scopes()),
                    restriction(e.accounts()), restriction(e.workspaces()),
                    e.expires() == null ? "never" : e.expires() + (e.expiredAt(now) ? " (expired)" : ""),
                    used.getOrDefault(e.name(), "-"));
        }
        if (store.entries().isEmpty()) {
            out.println("(no tokens in " + path + ")");
        }
        return 0;
    }

    private int revoke(TokenStore store, Path path, List<String> names) throws IOException {
        if (names.size() != 1) {
            throw new IllegalArgumentException("revoke takes one token name\n" + USAGE);
        }
        Optional<TokenStore> next = store.revoke(names.get(0));
        if (next.isEmpty()) {
            err.println("No token named " + names.get(0) + " in " + path);
            return 1;
        }
        next.get().write(path);
        out.println("Revoked token " + names.get(0) + ".");
        return 0;
    }

    /** The last uses a running service wrote beside the store (best effort: absent on a read-only mount). */
    static Map<String, String> lastUsed(Path store) {
        Path f = CallerAuth.lastUseFile(store);
        try {
            return Files.exists(f) ? TokenStore.JSON.readValue(f.toFile(), new TypeReference<Map<String, String>>() {
            }) : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static String restriction(List<String> ids) {
        return ids == null || ids.isEmpty() ? "any" : ids.size() == 1 ? ids.get(0).substring(0, 8) + "..."
                : ids.size() + " ids";
    }

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--expires-in is a number and s, m, h or d, e.g. 30d or 12h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static double positive(String v, String option) {
        try {
            double d = Double.parseDouble(v);
            if (d > 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a positive number");
    }

    private static List<String> list(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> uuids(String csv, String option) {
        List<String> ids = list(csv).stream().map(String::toLowerCase).toList();
        for (String id : ids) {
            if (!UUID.matcher(id).matches()) {
                throw new IllegalArgumentException(option + " takes UUIDs, comma separated");
            }
        }
        return ids;
    }
}
