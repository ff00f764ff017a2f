package io.prefectcamel.call;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Every operation of prefect-camel's catalog as a Prefect call (operations.properties beside this class, derived
 * from the catalog): what {@code prefect-operation-action} turns a message into. A message names the operation's
 * parameters in headers: {@code Prefect} + the parameter's name in PascalCase ({@code PrefectId},
 * {@code PrefectTeamId}, {@code PrefectFlowRunId}, {@code PrefectLimit}, {@code PrefectIfNoneMatch}...); the account
 * and workspace come from the Kamelet's properties unless the message's {@code PrefectAccountId} /
 * {@code PrefectWorkspaceId} say otherwise.
 */
public final class PrefectOperations {

    /** One Prefect call. */
    /** @param query Prefect's query parameters, a required one with a trailing {@code !} */
    public record Operation(String id, String method, String path, boolean idempotent, String tool,
                            List<String> query, List<String> headers) {

        /** Prefect's path parameters, in the order of the path. */
        public List<String> pathParameters() {
            List<String> names = new ArrayList<>();
            Matcher m = PARAMETER.matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Map<String, Operation> OPERATIONS = load();

    private PrefectOperations() {
    }

    private static Map<String, Operation> load() {
        Properties p = new Properties();
        try (InputStream in = PrefectOperations.class.getResourceAsStream("operations.properties")) {
            if (in == null) {
                throw new IllegalStateException("operations.properties is missing beside " + PrefectOperations.class);
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Operation> ops = new LinkedHashMap<>();
        for (String id : p.stringPropertyNames()) {
            String[] f = p.getProperty(id).trim().split("\\s+");
            Operation op = new Operation(id, f[0], f[1], Boolean.parseBoolean(f[2]), f[3], list(f[4]), list(f[5]));
            ops.put(id, op);
            ops.put(op.tool(), op);
        }
        return Collections.unmodifiableMap(ops);
    }

    private static List<String> list(String field) {
        return field.equals("-") ? List.of() : Arrays.asList(field.split(","));
    }

    /** The operation by its catalog id ({@code createBot}) or MCP tool name ({@code create-bot}). */
    public static Operation operation(String name) {
        Operation op = name == null ? null : OPERATIONS.get(name.trim());
        if (op == null) {
            throw new IllegalArgumentException("No Prefect operation named '" + name + "': use an operation id of"
                    + " prefect-camel's catalog (such as createBot or readWorkspaceEvents) or its MCP tool name");
        }
        return op;
    }

    /** The header that carries a parameter: {@code team_id} -> {@code PrefectTeamId}, {@code page-token} -> {@code PrefectPageToken}. */
    public static String header(String parameter) {
        StringBuilder h = new StringBuilder("Prefect");
        for (String part : parameter.split("[_\\-]")) {
            if (!part.isEmpty()) {
                h.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return h.toString();
    }

    /**
     * Turns the message into the Prefect call of {@code name} for {@code prefect-api-action}: sets
     * {@code PrefectMethod} and {@code PrefectPath} (the path with its parameters and query string) and whether the
     * call is idempotent, which decides its retries. A missing or malformed path parameter is refused here, before
     * anything is sent.
     */
    public static void prepare(Exchange exchange, String name, String accountId, String workspaceId) {
        Operation op = operation(name);
        Message in = exchange.getMessage();
        String path = op.path();
        for (String p : op.pathParameters()) {
            String value = in.getHeader(header(p), String.class);
            if (blank(value) && p.equals("account_id")) {
                value = accountId;
            }
            if (blank(value) && p.equals("workspace_id")) {
                value = workspaceId;
            }
            if (blank(value)) {
                throw new IllegalArgumentException(op.id() + " needs its path parameter " + p + ": set the "
                        + header(p) + " header" + (p.endsWith("account_id") || p.equals("workspace_id")
                                ? " or the Kamelet's " + (p.equals("account_id") ? "accountId" : "workspaceId") + " property" : ""));
            }
            value = value.trim();
            if ((p.equals("id") || p.endsWith("_id")) && !PrefectIds.isUuid(value)) {
                throw new IllegalArgumentException(op.id() + ": " + p + " must be a UUID, not '" + value + "'");
            }
            path = path.replace("{" + p + "}", encode(value));
        }
        StringBuilder query = new StringBuilder();
        for (String spec : op.query()) {
            String q = spec.endsWith("!") ? spec.substring(0, spec.length() - 1) : spec;
            String value = in.getHeader(header(q), String.class);
            if (blank(value) && spec.endsWith("!")) {
                throw new IllegalArgumentException(op.id() + " needs its query parameter " + q + ": set the " + header(q)
                        + " header");
            }
            if (!blank(value)) {
                query.append(query.length() == 0 ? '?' : '&').append(encode(q)).append('=').append(encode(value));
            }
        }
        String ifNoneMatch = op.headers().contains("if-none-match") ? in.getHeader("PrefectIfNoneMatch", String.class) : null;
        in.removeHeaders("Prefect*");
        in.setHeader("PrefectMethod", op.method());
        in.setHeader("PrefectPath", path + query);
        if (ifNoneMatch != null) {
            in.setHeader("PrefectIfNoneMatch", ifNoneMatch);
        }
        exchange.setProperty(PrefectRetries.IDEMPOTENT, op.idempotent());
        exchange.setProperty("prefect.operation", op.id());
    }

    /** The first of the two values that is not blank, trimmed; null when both are (a header, else a property). */
    public static String firstOf(String first, String second) {
        return !blank(first) ? first.trim() : !blank(second) ? second.trim() : null;
    }

    /** The first of the three values that is not blank, trimmed; null when all are. */
    public static String firstOf(String first, String second, String third) {
        String v = firstOf(first, second);
        return v != null ? v : firstOf(third, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
