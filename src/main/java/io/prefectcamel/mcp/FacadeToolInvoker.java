package io.prefectcamel.mcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.prefectcamel.call.RetryAfter;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.prefectcamel.auth.Caller;
import io.prefectcamel.auth.CallerAuth;
import io.prefectcamel.gateway.NextPageLinks;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Calls a facade operation ({@code direct:<operationId>}) for a tool call and turns the answer into an MCP
 * result: JSON answers become structuredContent plus the same JSON as text; errors become {@code isError}
 * results that tell the agent what to fix or when to retry. Never a stack trace, never the API key.
 */
final class FacadeToolInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(FacadeToolInvoker.class);
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(#?)([a-z0-9_]+)}");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /**
     * Reads Prefect's answer for a structured result: one JSON value and nothing after it, decimals exactly as sent,
     * so the result's text (Prefect's bytes) and its structured content are the same JSON.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader ANSWER = new ObjectMapper().reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final ProducerTemplate template;
    private final ObjectMapper mapper;
    private final ToolSchemaValidator validator;
    private final McpSettings settings;
    private final String secret;
    /** Prefixed to a relative next_page link (an MCP call has no Host header to make it absolute from). */
    private final String linkBase;
    /** Whether a caller may call a tool (by name), from the scope of its operation. */
    private final java.util.function.BiPredicate<Caller, String> allowed;
    /** Each operation's {@code direct:} endpoint, resolved once. */
    private final Map<String, Endpoint> operations = new java.util.concurrent.ConcurrentHashMap<>();

    FacadeToolInvoker(ProducerTemplate template, ObjectMapper mapper, ToolSchemaValidator validator,
            McpSettings settings, String secret, java.util.function.BiPredicate<Caller, String> allowed) {
        this.template = template;
        this.allowed = allowed;
        this.mapper = mapper;
        this.validator = validator;
        this.settings = settings;
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.linkBase = linkBase(template.getCamelContext(), settings);
    }

    /**
     * The facade's URL for links in results: {@code facade.public-url} when set, otherwise the REST server on this
     * machine ({@code camel.server.host}, loopback when it listens on every address, and {@code camel.server.port}).
     */
    private static String linkBase(CamelContext context, McpSettings settings) {
        String publicUrl = property(context, "facade.public-url");
        if (!publicUrl.isEmpty()) {
            return publicUrl.replaceAll("/+$", "");
        }
        // the same URL the REST facade links to when a request names a Host it does not allow
        return io.prefectcamel.gateway.FacadeHosts.loopbackUrl(property(context, "camel.server.host"), settings.restPort());
    }

    private static String property(CamelContext context, String key) {
        return context == null ? "" : context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
    }

    McpServerFeatures.AsyncToolSpecification specification(ToolDefinition def) {
        McpSchema.ToolAnnotations annotations = new McpSchema.ToolAnnotations(def.title(), def.readOnly(),
                def.destructive(), def.idempotent(), def.openWorld(), null);
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(def.name())
                .title(def.title())
                .description(def.description())
                .inputSchema(mapper.convertValue(def.inputSchema(), MAP))
                .outputSchema(def.outputSchema() == null ? null : mapper.convertValue(def.outputSchema(), MAP))
                .annotations(annotations)
                .build();
        return McpServerFeatures.AsyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    // the caller the transport authenticated; without one the operation route refuses the call
                    Caller caller = VertxStreamableTransport.caller(exchange);
                    if (caller != null && !allowed.test(caller, def.name())) {
                        return Mono.just(error("This credential may not call " + def.name() + ": it lacks the scope"
                                + " the tool needs. Use the tools tools/list shows."));
                    }
                    return call(def, tool, request.arguments(), caller);
                })
                .build();
    }

    /** Calls a tool's operation: {@code tool} is the tool as listed, whose schemas the arguments and result meet. */
    Mono<McpSchema.CallToolResult> call(ToolDefinition def, McpSchema.Tool tool, Map<String, Object> arguments,
            Caller caller) {
        Map<String, Object> inputSchema = tool.inputSchema();
        ObjectNode args = arguments == null ? mapper.createObjectNode() : mapper.valueToTree(arguments);
        stripNulls(args);
        for (ToolDefinition.Binding b : def.bindings()) {
            if (b.defaultedFrom() != null && !args.has(b.argument())) {
                args.put(b.argument(), b.defaultedFrom());
            }
        }
        JsonSchemaValidator.ValidationResponse check = validator.validate(inputSchema, args);
        if (!check.valid()) {
            return Mono.just(error(invalidArguments(def, args, check.errorMessage())));
        }
        // on a bounded worker, where the operation's route runs (the template hands over to no other thread); a retry
        // wait inside the call holds no thread: the answer arrives when the exchange completes
        return Mono.fromCallable(() -> send(def, args, caller))
                .flatMap(Mono::fromFuture)
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(settings.callTimeout())
                .map(answer -> toResult(def, tool.outputSchema(), args, answer))
                .onErrorResume(e -> {
                    if (e instanceof TimeoutException) {
                        return Mono.just(error("The call to Prefect did not finish within "
                                + settings.callTimeout().toSeconds() + " seconds. Retry, or narrow the query (a shorter"
                                + " time window or a smaller limit)."));
                    }
                    LOG.warn("Tool {} failed: {}", def.name(), redact(String.valueOf(e.getMessage())));
                    return Mono.just(error("The service could not run " + def.name() + " (internal error). Retry"
                            + " later; if it keeps failing, the operator should check the service log."));
                });
    }

    /** What the route answered: its body as the bytes Prefect sent, read as text only where text is needed. */
    private record Answer(int status, String contentType, byte[] bytes, String retryAfter, Exception failure,
            String refused) {

        String body() {
            return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        boolean hasBody() {
            if (bytes != null) {
                for (byte b : bytes) {
                    if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private CompletableFuture<Answer> send(ToolDefinition def, ObjectNode args, Caller caller) throws Exception {
        ObjectNode bodyFields = mapper.createObjectNode();
        String wholeBody = null;
        Map<String, Object> headers = new LinkedHashMap<>();
        for (ToolDefinition.Binding b : def.bindings()) {
            JsonNode v = args.get(b.argument());
            if (v == null) {
                continue;
            }
            switch (b.target()) {
                case HEADER -> headers.put(b.wireName(), v.isTextual() ? v.asText() : v.toString());
                case BODY_FIELD -> bodyFields.set(b.wireName(), v);
                case BODY -> wholeBody = mapper.writeValueAsString(v);
            }
        }
        // a required body made of fields is sent even when no field is given ({}: an update that changes nothing)
        String body = wholeBody != null ? wholeBody : bodyFields.isEmpty() && !def.bodyRequired() ? null
                : mapper.writeValueAsString(bodyFields);
        Endpoint operation = operations.computeIfAbsent(def.operationId(),
                id -> template.getCamelContext().getEndpoint("direct:" + id));
        return template.asyncSend(operation, ex -> {
            Message in = ex.getIn();
            if (caller != null) {
                ex.setProperty(CallerAuth.CALLER, caller);
            }
            headers.forEach(in::setHeader);
            in.setBody(body);
        }).thenApply(FacadeToolInvoker::answer);
    }

    private static Answer answer(Exchange exchange) {
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String retryAfter = out.getHeader("Retry-After", String.class);
        return new Answer(status == null ? 200 : status, out.getHeader(Exchange.CONTENT_TYPE, String.class),
                out.getBody(byte[].class), retryAfter, exchange.getException(),
                exchange.getProperty(CallerAuth.REFUSED, String.class));
    }

    private McpSchema.CallToolResult toResult(ToolDefinition def, Map<String, Object> outputSchema, ObjectNode args,
            Answer a) {
        if (a.failure() != null) {
            LOG.warn("Operation {} left an exception: {}", def.operationId(), redact(String.valueOf(a.failure().getMessage())));
            return error("The service could not complete " + def.name() + " (internal error). Retry later; if it keeps"
                    + " failing, the operator should check the service log.");
        }
        int status = a.status();
        if (a.refused() != null) {
            // refused by the service itself (scope, account/workspace restriction, rate limit): nothing reached Prefect
            String retry = retrySeconds(a.retryAfter());
            return error("The service refused " + def.name() + " (" + status + "): " + a.refused()
                    + (retry != null ? " Retry after " + retry + " seconds." : ""));
        }
        if (status == 304 && def.outputSchema() != null) {
            Map<String, Object> structured = Map.of("not_modified", true);
            return McpSchema.CallToolResult.builder()
                    .structuredContent(structured)
                    .addTextContent("{\"not_modified\":true}")
                    .addTextContent("Not modified: nothing changed since the event count you gave in if_none_match.")
                    .build();
        }
        if (status >= 200 && status < 300) {
            if (def.outputSchema() == null) {
                McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder();
                if (a.hasBody()) {
                    result.addTextContent(a.body()); // an answer whose shape Prefect does not document
                }
                return result.addTextContent(confirmation(def, args, status)).build();
            }
            McpSchema.CallToolResult quick = def.wrapKey() == null && a.bytes() != null
                    ? quickSuccess(def, outputSchema, a.bytes()) : null;
            return quick != null ? quick : success(def, a);
        }
        return error(failureMessage(def, a));
    }

    /**
     * The result of an answer that is Prefect's JSON object as it is, or a page with its link completed and its token
     * added, made without a tree: the text is spliced as {@link #text} does, then checked against the output schema
     * in one streaming pass ({@link ToolSchemaValidator#vouches}), which also reads back the top-level link and token
     * to confirm the splice. Null when that check cannot vouch for it: then the tree is read and checked in full.
     */
    private McpSchema.CallToolResult quickSuccess(ToolDefinition def, Map<String, Object> outputSchema, byte[] raw) {
        if (outputSchema == null || (def.pageLink() != null && !"next_page".equals(def.pageLink()))) {
            return null;
        }
        int close = lastNonSpace(raw, raw.length - 1);
        int before = lastNonSpace(raw, close - 1);
        if (close < 1 || raw[close] != '}' || before < 0 || raw[before] == '{') {
            return null; // not an object with members: the tree path says what it is
        }
        String link = null;
        String token = null;
        byte[] utf8 = raw;
        if (def.pageLink() != null) {
            NextPageLinks.Link found = NextPageLinks.nextPage(raw);
            byte[] linkJson = null;
            if (found != null) {
                link = found.url();
                if (link.startsWith("/") && !link.startsWith("//")) {
                    link = linkBase + link; // the outputSchema says `format: uri`: as in success
                }
                token = pageToken(link);
                linkJson = jsonString(link);
            }
            utf8 = splice(raw, close, found, linkJson, token == null ? NULL : jsonString(token));
        }
        if (utf8.length > settings.maxResultChars() * 4L) {
            return null; // surely too large (at most four bytes a character): the tree path says so
        }
        String json = new String(utf8, StandardCharsets.UTF_8);
        if (json.length() > settings.maxResultChars()) {
            return null;
        }
        if (!ascii(utf8)) {
            utf8 = json.getBytes(StandardCharsets.UTF_8); // the text's own bytes (a malformed sequence became U+FFFD)
        }
        PageMembers seen = new PageMembers(def.pageLink());
        if (!validator.vouches(outputSchema, utf8, seen) || !seen.agree(link, token)) {
            return null;
        }
        return structuredResult(def, StructuredJson.vouched(json, utf8, outputSchema), token);
    }

    /**
     * A page's JSON with its link and token: Prefect's bytes up to the link ({@code found}, or none), the link as
     * {@code linkJson}, the bytes after it up to the closing brace at {@code close}, then the next_page_token member.
     */
    private static byte[] splice(byte[] raw, int close, NextPageLinks.Link found, byte[] linkJson, byte[] tokenJson) {
        int head = found == null ? close : found.start();
        int tail = found == null ? 0 : close - found.end();
        byte[] out = new byte[head + (found == null ? 0 : linkJson.length) + tail + TOKEN_MEMBER.length
                + tokenJson.length + 1];
        System.arraycopy(raw, 0, out, 0, head);
        int n = head;
        if (found != null) {
            System.arraycopy(linkJson, 0, out, n, linkJson.length);
            n += linkJson.length;
            System.arraycopy(raw, found.end(), out, n, tail);
            n += tail;
        }
        System.arraycopy(TOKEN_MEMBER, 0, out, n, TOKEN_MEMBER.length);
        n += TOKEN_MEMBER.length;
        System.arraycopy(tokenJson, 0, out, n, tokenJson.length);
        out[n + tokenJson.length] = '}';
        return out;
    }

    private static final byte[] TOKEN_MEMBER = ",\"next_page_token\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** A string as JSON, in UTF-8: quoted and escaped as Jackson writes it. */
    private static byte[] jsonString(String s) {
        byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] out = new byte[inner.length + 2];
        out[0] = '"';
        System.arraycopy(inner, 0, out, 1, inner.length);
        out[out.length - 1] = '"';
        return out;
    }

    /** The top-level link and next_page_token of a result's text, as its streaming check read them. */
    private static final class PageMembers implements LeanSchema.TopMembers {
        private static final String NOT_TEXT = new String("not a string");
        private final String linkName;
        private int links;
        private int tokens;
        private String link;
        private String token;

        PageMembers(String linkName) {
            this.linkName = linkName;
        }

        @Override
        public void member(String name, com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken value)
                throws java.io.IOException {
            boolean isLink = name.equals(linkName);
            if (isLink || "next_page_token".equals(name)) {
                String text = value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText()
                        : value == com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? null : NOT_TEXT;
                if (isLink) {
                    links++;
                    link = text;
                } else {
                    tokens++;
                    token = text;
                }
            }
        }

        /** Whether the text holds this link (once, or none for null) and this token, once: what was spliced in. */
        boolean agree(String expectedLink, String expectedToken) {
            if (linkName == null) {
                return true;
            }
            return links <= 1 && tokens == 1 && java.util.Objects.equals(link, expectedLink)
                    && java.util.Objects.equals(token, expectedToken);
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Whether every byte is ASCII, eight at a time. */
    static boolean ascii(byte[] b) {
        int i = 0;
        long any = 0;
        for (; i + 8 <= b.length; i += 8) {
            any |= (long) LONGS.get(b, i);
        }
        for (; i < b.length; i++) {
            any |= b[i];
        }
        return (any & 0x8080808080808080L) == 0;
    }

    private static int lastNonSpace(byte[] b, int i) {
        while (i >= 0 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i--;
        }
        return i;
    }

    private McpSchema.CallToolResult success(ToolDefinition def, Answer a) {
        JsonNode parsed;
        try {
            parsed = a.hasBody() ? ANSWER.readTree(a.bytes()) : null;
        } catch (Exception e) {
            parsed = null;
        }
        if (parsed == null) {
            return error("Prefect answered " + def.name() + " without the expected JSON. Retry later.");
        }
        ObjectNode structured;
        if (def.wrapKey() != null) {
            structured = mapper.createObjectNode();
            structured.set(def.wrapKey(), parsed);
        } else if (parsed.isObject()) {
            structured = (ObjectNode) parsed;
        } else {
            return error("Prefect answered " + def.name() + " with an unexpected shape. Retry later.");
        }
        String token = null;
        boolean answerHasToken = structured.has("next_page_token");
        if (def.pageLink() != null) {
            JsonNode next = structured.get(def.pageLink());
            if (next != null && next.isTextual() && next.asText().startsWith("/") && !next.asText().startsWith("//")) {
                // the outputSchema says `format: uri`: a path alone is not one, and a client cannot follow it
                structured.put(def.pageLink(), linkBase + next.asText());
            }
            token = pageToken(structured.path(def.pageLink()).asText(null));
            structured.put("next_page_token", token);
        }
        String json = text(def, a.bytes(), structured, answerHasToken);
        if (json.length() > settings.maxResultChars()) {
            return error("The result is too large (" + json.length() + " characters, limit "
                    + settings.maxResultChars() + "). Ask for less: a smaller limit or a narrower filter.");
        }
        // the tree for the output schema check (ToolSchemaValidator), written as the text beside it: the same JSON, not
        // serialised a second time
        return structuredResult(def, new StructuredJson(structured, json), token);
    }

    /** A structured result: the JSON as structured content and as text, and for a page where the next one is. */
    private McpSchema.CallToolResult structuredResult(ToolDefinition def, StructuredJson content, String token) {
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
                .structuredContent(content)
                .addTextContent(content.json());
        if (def.pageLink() != null) {
            result.addTextContent(token == null
                    ? "Last page: there is no next page."
                    : "More results: for the next page call " + (def.pageToolName() != null ? def.pageToolName()
                            : def.name()) + " with page_token=" + token + ".");
        }
        return result.build();
    }

    /**
     * The result's JSON as text, the same value as its structured content. Made from Prefect's bytes where the result
     * is Prefect's answer as it is, or with only its next_page link changed and next_page_token added (a splice, not
     * a second serialisation of the whole page); written from the tree otherwise.
     */
    private static String text(ToolDefinition def, byte[] raw, ObjectNode structured, boolean answerHasToken) {
        if (def.wrapKey() != null) {
            return structured.toString();
        }
        if (def.pageLink() == null) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        int close = lastNonSpace(raw, raw.length - 1);
        int before = lastNonSpace(raw, close - 1);
        NextPageLinks.Link link = "next_page".equals(def.pageLink()) ? NextPageLinks.nextPage(raw) : null;
        JsonNode next = structured.get(def.pageLink());
        if (close < 1 || raw[close] != '}' || before < 0 || raw[before] == '{' || answerHasToken
                || (link == null) != (next == null || next.isNull()) || (link != null && !next.isTextual())) {
            return structured.toString();
        }
        // the link and the token as JSON strings (or null), escaped as Jackson writes them
        byte[] linkJson = link == null ? null : next.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tokenJson = structured.get("next_page_token").toString().getBytes(StandardCharsets.UTF_8);
        return new String(splice(raw, close, link, linkJson, tokenJson), StandardCharsets.UTF_8);
    }

    /** The catalog's confirmation for an answer without a body: {arg} is an argument's value, {#arg} a list's size. */
    private String confirmation(ToolDefinition def, ObjectNode args, int status) {
        String text = def.confirmation() == null ? "Done" : def.confirmation();
        java.util.regex.Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = args.path(m.group(2));
            String value = m.group(1).isEmpty() ? (v.isValueNode() ? v.asText() : v.toString())
                    : Integer.toString(v.size());
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out + " (Prefect answered " + status + ").";
    }

    private String failureMessage(ToolDefinition def, Answer a) {
        int status = a.status();
        JsonNode body = null;
        try {
            body = a.hasBody() ? mapper.readTree(a.bytes()) : null;
        } catch (Exception ignored) {
            // not JSON: use the text
        }
        String detail = detail(def, body, a.body());
        String retry = retrySeconds(a.retryAfter());
        String msg = switch (status) {
            case 400 -> "The arguments were rejected: " + detail + " Fix them and call " + def.name() + " again.";
            case 401 -> "Prefect refused the service's credentials (401). The service's Prefect API key is missing,"
                    + " wrong or expired: this needs the operator, retrying will not help.";
            case 403 -> takes(def, "page_token")
                    // Prefect answers a page token it did not give out (altered, truncated, or from another
                    // account/workspace) with 403: the key is fine, the token is not
                    ? "Prefect refused the page_token (403): it is not a next_page_token Prefect gave out for this"
                            + " account_id" + (takes(def, "workspace_id") ? "/workspace_id" : "") + ". Pass"
                            + " next_page_token exactly as received, with the same ids, or start again from the first"
                            + " page with the read tool that gave you the token. " + detail
                    : "Prefect denied access (403): the service's API key may not access this account/workspace."
                            + " Check account_id/workspace_id; otherwise the operator must grant access. " + detail;
            case 404 -> "Prefect found nothing there (404). Check that " + String.join(", ", idArguments(def))
                    + " are existing ids (UUIDs). " + detail;
            case 408, 504 -> "Prefect did not answer in time (" + status + "). Retry; for reads, narrow the query"
                    + " (a shorter filter.occurred window or a smaller limit). " + detail;
            case 413 -> "The request is too large (413, over 5 MiB of JSON). Send fewer or smaller events per call.";
            case 422 -> "Prefect rejected the arguments (422): " + detail + " Fix them and call " + def.name() + " again.";
            case 429 -> "Prefect's rate limit is still exceeded after the service's retries (429). Wait "
                    + (retry != null ? retry + " seconds (Retry-After)" : "a minute") + " and call again.";
            case 502 -> "Prefect could not be reached or failed (502). Retry in a minute. " + detail;
            case 503 -> "The service has paused calls to Prefect after repeated failures (503, circuit breaker"
                    + " open). Retry after " + (retry != null ? retry + " seconds (Retry-After)" : "a minute") + ". "
                    + detail;
            default -> status >= 500
                    ? "Prefect failed (" + status + "). Retry later. " + detail
                    : "Prefect rejected the call (" + status + "): " + detail;
        };
        if (retry != null && status != 429 && status != 503) {
            msg += " Retry after " + retry + " seconds.";
        }
        return msg.strip();
    }

    /** A short, agent-readable detail from a problem document, Prefect's {"detail": ...} or plain text. */
    private String detail(ToolDefinition def, JsonNode body, String raw) {
        if (body != null && body.isObject()) {
            JsonNode d = body.get("detail");
            if (d != null && d.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode item : d) {
                    String where = location(def, item.path("loc"));
                    parts.add((where.isEmpty() ? "" : where + ": ") + item.path("msg").asText(item.toString()));
                    if (parts.size() == 10) {
                        break;
                    }
                }
                return String.join("; ", parts) + ".";
            }
            String parameter = body.path("parameter").asText("");
            String text = d != null ? d.asText() : body.path("title").asText(body.toString());
            if (!parameter.isEmpty()) {
                text += " (argument `" + argumentFor(def, parameter) + "`)";
            }
            return clip(text);
        }
        return raw == null || raw.isBlank() ? "" : clip(raw);
    }

    /** Prefect's loc ["body", "filter", "occurred"] or ["path", "account_id"] as the tool's argument path. */
    private String location(ToolDefinition def, JsonNode loc) {
        List<String> parts = new ArrayList<>();
        loc.forEach(p -> parts.add(p.asText()));
        if (!parts.isEmpty() && List.of("body", "path", "query", "header").contains(parts.get(0))) {
            String kind = parts.remove(0);
            if (!parts.isEmpty() && !kind.equals("body")) {
                parts.set(0, argumentFor(def, parts.get(0)));
            } else if (kind.equals("body") && def.bindings().stream().anyMatch(b -> b.target() == ToolDefinition.Target.BODY)) {
                parts.add(0, def.bindings().stream().filter(b -> b.target() == ToolDefinition.Target.BODY)
                        .findFirst().map(ToolDefinition.Binding::argument).orElse("body"));
            }
        }
        return String.join(".", parts);
    }

    /** The tool's arguments that are ids (UUIDs), in the order of its input schema. */
    private static List<String> idArguments(ToolDefinition def) {
        List<String> ids = new ArrayList<>();
        def.inputSchema().path("properties").fields().forEachRemaining(p -> {
            if ("uuid".equals(p.getValue().path("format").asText())) {
                ids.add(p.getKey());
            }
        });
        return ids;
    }

    private static boolean required(ToolDefinition def, String argument) {
        for (JsonNode r : def.inputSchema().path("required")) {
            if (r.asText().equals(argument)) {
                return true;
            }
        }
        return false;
    }

    private static boolean takes(ToolDefinition def, String argument) {
        return def.bindings().stream().anyMatch(b -> b.argument().equals(argument));
    }

    private static String argumentFor(ToolDefinition def, String wireOrArg) {
        String snake = ToolCatalog.snake(wireOrArg);
        return def.bindings().stream()
                .filter(b -> wireOrArg.equals(b.wireName()) || snake.equals(b.argument()))
                .map(ToolDefinition.Binding::argument)
                .findFirst().orElse(snake);
    }

    private String invalidArguments(ToolDefinition def, ObjectNode args, String validation) {
        StringBuilder m = new StringBuilder("Invalid arguments for ").append(def.name()).append(": ")
                .append(clip(validation == null ? "" : validation.strip()));
        for (String id : idArguments(def)) {
            if (!args.has(id) && required(def, id)) {
                m.append(" `").append(id).append("` is required");
                if (id.equals("account_id") || id.equals("workspace_id")) {
                    m.append(" (this service has no default ").append(id.replace("_id", "")).append(" configured)");
                }
                m.append('.');
            } else if (args.has(id) && validation != null && validation.contains(id)) {
                m.append(" `").append(id).append("` must be a UUID such as 0b3e1a52-7c4d-4f7e-9a51-2f8d6c1e9b20.");
            }
        }
        m.append(" See the tool's inputSchema, fix the arguments and call again.");
        return m.toString();
    }

    private static String pageToken(String nextPage) {
        if (nextPage == null || nextPage.isBlank() || "null".equals(nextPage)) {
            return null;
        }
        return NextPageLinks.findPageToken(nextPage);
    }

    /** Retry-After (seconds or an HTTP-date) as whole seconds for the agent, by the shared parser. */
    private static String retrySeconds(String retryAfter) {
        Long seconds = RetryAfter.seconds(retryAfter);
        return seconds == null ? null : Long.toString(seconds);
    }

    private McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(redact(message)).build();
    }

    private String clip(String s) {
        String t = s;
        int trace = t.indexOf("\n\tat ");
        if (trace >= 0) {
            t = t.substring(0, trace);
        }
        return t.length() > 1500 ? t.substring(0, 1500) + "..." : t;
    }

    String redact(String s) {
        String t = BEARER.matcher(s).replaceAll("Bearer ***");
        return secret != null ? t.replace(secret, "***") : t;
    }

    private static void stripNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    it.remove();
                } else {
                    stripNulls(e.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(FacadeToolInvoker::stripNulls);
        }
    }
}
