package io.prefectcamel.gateway;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.prefectcamel.call.PrefectRetries;
import io.prefectcamel.call.PrefectStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The parts of the Prefect call that YAML cannot say well: turning a facade request into the Prefect request, and
 * mapping what the call ended with to the caller's answer. Whether and when to retry is the shared
 * {@link PrefectRetries}; the routes {@code prefect-call} and {@code prefect-attempt}
 * (routes/prefect-call.camel.yaml) do the rest with EIPs.
 */
public class Gateway {

    public static final String OPERATION = "prefect.operation";
    public static final String IDEMPOTENT = "prefect.idempotent";
    public static final String METHOD = "prefect.method";
    /** The method as the HTTP producer takes it (camel-http's enum: no converter looked up on every call). */
    public static final String HTTP_METHOD = "prefect.httpMethod";
    public static final String PATH = "prefect.path";
    public static final String PATH_TEMPLATE = "prefect.pathTemplate";
    public static final String QUERY = "prefect.query";
    public static final String BODY = "prefect.body";
    public static final String IF_NONE_MATCH = "prefect.ifNoneMatch";
    public static final String REQUEST_ID = "prefect.requestId";
    public static final String FACADE_PATH = "prefect.facadePath";
    public static final String FACADE_BASE = "prefect.facadeBase";
    /**
     * Exchange property: what the caller of an idempotent write is told when the retries did not settle whether Prefect
     * carried it out (the catalog's {@code resend}, e.g. for events creates, which Prefect de-duplicates by id).
     */
    public static final String RESEND = "prefect.resend";

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Set<String> ANSWER_HEADERS = Set.of(
            Exchange.HTTP_RESPONSE_CODE.toLowerCase(Locale.ROOT), "content-type", "retry-after", "etag");
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern JSON_MEDIA_TYPE = Pattern.compile("application/([a-z0-9.+-]*\\+)?json(\\s*;.*)?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,255}");
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private long breakerRetryAfterSeconds = 30;
    private String publicUrl = "";

    public void setBreakerRetryAfterSeconds(long breakerRetryAfterSeconds) {
        this.breakerRetryAfterSeconds = breakerRetryAfterSeconds;
    }

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    /**
     * Reads the facade request (headers named as the OpenAPI parameters, the JSON body), validates it and keeps
     * what the Prefect request needs in exchange properties, since every inbound header is dropped before the call.
     */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        String requestId = requestId(in.getHeader(REQUEST_ID_HEADER, String.class));
        exchange.setProperty(REQUEST_ID, requestId);
        MDC.put("requestId", requestId);
        String httpPath = in.getHeader(Exchange.HTTP_PATH, String.class);
        exchange.setProperty(FACADE_PATH, httpPath != null ? httpPath : exchange.getFromEndpoint() != null
                ? exchange.getFromEndpoint().getEndpointBaseUri() : null);
        exchange.setProperty(FACADE_BASE, facadeBase(exchange, in));

        FacadeSpec.Operation op = FacadeSpec.get().operation(exchange.getProperty(OPERATION, String.class));
        String method = exchange.getProperty(METHOD, op.upstreamMethod(), String.class);
        String path = exchange.getProperty(PATH_TEMPLATE, op.upstreamPath(), String.class);
        StringBuilder query = new StringBuilder();
        for (FacadeSpec.Parameter p : op.parameters()) {
            String value = single(p, in.getHeader(p.name()));
            if (value == null || (value.isEmpty() && !"query".equals(p.in()))) {
                if (p.required()) {
                    throw new InvalidRequestException(400, p.name(), "'" + p.name() + "' is required (a " + p.in()
                            + " parameter).");
                }
                continue;
            }
            if (value.isEmpty()) {
                if (p.required()) {
                    throw new InvalidRequestException(400, p.name(), "'" + p.name() + "' must not be empty.");
                }
                continue;
            }
            RequestValidator.checkParameter(p, value);
            switch (p.in()) {
                case "path" -> path = path.replace("{" + p.upstreamName() + "}", encode(value));
                case "query" -> query.append(query.length() == 0 ? "" : "&").append(encode(p.upstreamName()))
                        .append('=').append(encode(value));
                case "header" -> exchange.setProperty(IF_NONE_MATCH, value);
                default -> {
                }
            }
        }
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (op.requestBodySchema() != null && contentType != null && !contentType.isBlank()
                && !JSON_MEDIA_TYPE.matcher(contentType.toLowerCase(Locale.ROOT)).matches()) {
            throw new InvalidRequestException(415, "Content-Type", "The body must be JSON: send 'Content-Type: "
                    + "application/json' (this request said '" + contentType.replaceAll("[\\r\\n]", "") + "').");
        }
        String body = RequestValidator.checkBody(op, in.getBody(byte[].class));
        if (body == null && "POST".equals(method)) {
            body = "{}"; // Prefect wants a Content-Length on every POST; {} reads with its defaults
        }
        exchange.setProperty(BODY, body);
        String resend = op.node().path("x-prefect-operation").path("resend").asText("");
        if (!resend.isEmpty()) {
            exchange.setProperty(RESEND, " " + resend);
        }
        exchange.setProperty(METHOD, method);
        exchange.setProperty(HTTP_METHOD, org.apache.camel.component.http.HttpMethods.valueOf(method));
        exchange.setProperty(PATH, path);
        exchange.setProperty(QUERY, query.length() == 0 ? null : query.toString());
        LOG.debug("{} {} -> {} {}", op.method(), op.id(), op.upstreamMethod(), path);
    }


    /** A parameter given more than once arrives as a list: refuse it rather than send Prefect the list's text. */
    private static String single(FacadeSpec.Parameter p, Object value) {
        if (value instanceof java.util.Collection<?> values) {
            if (values.size() > 1) {
                throw new InvalidRequestException(400, p.name(), "'" + p.name() + "' must be given once.");
            }
            value = values.isEmpty() ? null : values.iterator().next();
        }
        return value == null ? null : value.toString();
    }

    /**
     * The base of the links an answer holds: {@code facade.public-url} when set; otherwise the request's
     * {@code Host} when {@code facade.allowed-hosts} allows it; otherwise (another name, e.g. a forged Host) the
     * server's own loopback URL, so a link never points at a host the service was not told about. No Host (an MCP
     * call) leaves the link relative.
     */
    private String facadeBase(Exchange exchange, Message in) {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        String host = in.getHeader("Host", String.class);
        if (host == null || host.isBlank()) {
            return null;
        }
        AllowedHost last = lastAllowed;
        if (last != null && host.equals(last.host())) {
            return last.base();
        }
        LinkHosts hosts = linkHosts(exchange);
        if (HOST.matcher(host).matches() && hosts.allowed().allows(host)) {
            String base = "http://" + host;
            // the name callers use, decided once instead of on every call (an allowed name only: a forged one is
            // checked each time, and cannot push the right one out for long)
            lastAllowed = new AllowedHost(host, base);
            return base;
        }
        if (!warnedForeignHost) {
            warnedForeignHost = true;
            LOG.warn("A request named a Host that facade.allowed-hosts does not list; its links use {} instead. Set"
                    + " facade.public-url (or facade.allowed-hosts) to the name callers use.", hosts.loopback());
        }
        return hosts.loopback();
    }

    private record LinkHosts(FacadeHosts allowed, String loopback) {
    }

    private volatile LinkHosts linkHosts;
    private volatile boolean warnedForeignHost;
    private volatile AllowedHost lastAllowed;

    private record AllowedHost(String host, String base) {
    }

    private LinkHosts linkHosts(Exchange exchange) {
        LinkHosts hosts = linkHosts;
        if (hosts == null) {
            org.apache.camel.spi.PropertiesComponent props = exchange.getContext().getPropertiesComponent();
            String serverHost = props.resolveProperty("camel.server.host").orElse("");
            int port = Integer.parseInt(props.resolveProperty("camel.server.port").map(String::trim)
                    .filter(v -> !v.isEmpty()).orElse("8080"));
            hosts = new LinkHosts(new FacadeHosts(props.resolveProperty("facade.allowed-hosts").orElse(""), serverHost),
                    FacadeHosts.loopbackUrl(serverHost, port));
            linkHosts = hosts;
        }
        return hosts;
    }

    /** The caller's X-Request-Id when it is a safe one (letters, digits, {@code ._:-}, at most 128), else a new id. */
    public static String requestId(String given) {
        return given != null && SAFE_REQUEST_ID.matcher(given).matches() ? given : newRequestId();
    }

    /**
     * A random (version 4) UUID for a request that brought no usable X-Request-Id. An id to find log lines by needs
     * no secure random source, whose shared generator every request would queue for.
     */
    static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The retries are over (or none was allowed): what the caller gets. A 429 is Prefect's own answer, with a
     * {@code Retry-After} (Prefect's, or the wait the policy would have taken); an open circuit breaker, a 5xx, a
     * timeout or an unreachable Prefect become problem answers. Called by the error handler of {@code prefect-call}
     * with the last attempt's message and failure.
     */
    public void gaveUp(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = exchange.getProperty(PrefectRetries.ATTEMPTS, 1, Integer.class);
        boolean idempotent = exchange.getProperty(IDEMPOTENT, false, Boolean.class);
        String resend = exchange.getProperty(RESEND, String.class);
        boolean events = resend != null;
        Message msg = exchange.getMessage();
        msg.removeHeader(Exchange.REDELIVERY_DELAY);
        switch (PrefectRetries.kind(failure)) {
            case RATE_LIMITED -> {
                if (msg.getHeader("Retry-After") == null) {
                    long wait = exchange.getProperty(PrefectRetries.WAIT, 1000L, Long.class);
                    msg.setHeader("Retry-After", Math.max(1, (wait + 999) / 1000));
                }
                LOG.warn("Prefect still rate-limits after {} attempt(s); answering 429", attempts);
            }
            case BREAKER_OPEN -> {
                msg.setHeader("Retry-After", breakerRetryAfterSeconds);
                Problems.answer(exchange, 503, "Prefect circuit open", "Calls to Prefect failed repeatedly, so they "
                        + "are paused for a while. Retry after " + breakerRetryAfterSeconds + " seconds.", null);
                LOG.warn("Circuit breaker open; answering 503");
            }
            case SERVER_ERROR -> {
                PrefectStatusException upstream = find(failure, PrefectStatusException.class);
                int status = upstream.status() == 503 || upstream.status() == 504 ? upstream.status() : 502;
                msg.removeHeader("Retry-After");
                if (upstream.retryAfter() != null) {
                    msg.setHeader("Retry-After", upstream.retryAfter());
                }
                Problems.answer(exchange, status, "Prefect error", "Prefect answered " + upstream.status()
                        + (events ? " after " + attempts + " attempt(s)." + resend
                        : idempotent ? " after " + attempts + " attempt(s). Try again later."
                                : ". The outcome is unknown: Prefect may have carried the call out before failing. It was"
                                        + " not retried, so it was not done twice; check (read it back) before sending"
                                        + " it again."), null);
                LOG.warn("Prefect answered {} (attempt {}); answering {}", upstream.status(), attempts, status);
            }
            default -> {
                msg.removeHeader("Retry-After");
                if (isTimeout(failure)) {
                    Problems.answer(exchange, 504, "Prefect timeout", "Prefect did not answer in time"
                            + (events ? " (" + attempts + " attempt(s))." + resend
                            : idempotent ? " (" + attempts + " attempt(s)). Try again later."
                                    : " after the request was sent, so it may or may not have been carried out. It was"
                                            + " not retried, so it was not done twice; check (read it back) before"
                                            + " sending it again."), null);
                } else if (events) {
                    Problems.answer(exchange, 502, "Prefect unreachable", "The connection to Prefect failed ("
                            + rootCause(failure).getClass().getSimpleName() + ") after " + attempts + " attempt(s)."
                            + resend, null);
                } else if (idempotent || notSent(failure)) {
                    Problems.answer(exchange, 502, "Prefect unreachable", "Prefect could not be reached ("
                            + rootCause(failure).getClass().getSimpleName() + ")"
                            + (idempotent ? " after " + attempts + " attempt(s)" : "; nothing was sent") + ". Try again later.", null);
                } else {
                    Problems.answer(exchange, 502, "Prefect unreachable", "The connection to Prefect failed ("
                            + rootCause(failure).getClass().getSimpleName() + ") after the request was sent, so it may or"
                            + " may not have been carried out. It was not retried, so it was not done twice; check (read"
                            + " it back) before sending it again.", null);
                }
                LOG.warn("Prefect call failed for good: {} (attempt {})", rootCause(failure).getClass().getSimpleName(), attempts);
            }
        }
    }

    /** The connection was never made: Prefect cannot have seen the request. */
    private static boolean notSent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
                    || c instanceof java.net.NoRouteToHostException
                    || c.getClass().getName().endsWith("ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c.getClass().getName().endsWith("ConnectTimeoutException")) {
                return false;
            }
            if (c instanceof SocketTimeoutException || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * Prefect's answer body, read once into bytes as it arrives (the HTTP endpoint hands it over unbuffered,
     * {@code disableStreamCache=true}): no stream cache to copy into and out of, and the REST server writes the bytes
     * as they are. Inside the circuit breaker, so a body that breaks off counts as a failed call.
     */
    public void readAnswer(Exchange exchange) throws java.io.IOException {
        Message msg = exchange.getMessage();
        Object body = msg.getBody();
        if (body instanceof java.io.InputStream in) {
            try (in) {
                long length = msg.getHeader("Content-Length", -1L, Long.class);
                if (length >= 0 && length <= RequestValidator.MAX_BODY_BYTES * 4L) {
                    // the announced length: one array of the right size (a shorter body fails the call)
                    byte[] bytes = in.readNBytes((int) length);
                    if (bytes.length < length) {
                        throw new java.io.EOFException("Prefect's answer ended after " + bytes.length + " of " + length + " bytes");
                    }
                    msg.setBody(bytes);
                } else {
                    msg.setBody(in.readAllBytes());
                }
            }
        } else if (body != null && !(body instanceof byte[])) {
            msg.setBody(msg.getBody(byte[].class));
        }
    }

    /**
     * What goes back to the caller: of the call's headers only the status, Content-Type, Retry-After and ETag stay,
     * the request id is added, and Allow where the facade itself refused the method (405); the request id leaves the
     * worker thread's log context. (Camel's removeHeaders with an exclude list would compile a regular expression for
     * every header of every answer.)
     */
    public void answered(Exchange exchange) {
        Message msg = exchange.getMessage();
        msg.getHeaders().keySet().removeIf(name -> !ANSWER_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
        msg.setHeader(REQUEST_ID_HEADER, exchange.getProperty(REQUEST_ID));
        String allow = exchange.getProperty(OperationPaths.ALLOW, String.class);
        if (allow != null) {
            msg.setHeader("Allow", allow); // the facade's own 405, never Prefect's
        }
        MDC.remove("requestId");
    }

    /** A refused request becomes a 400/413 problem that names the parameter. */
    public void rejected(Exchange exchange) {
        ensureRequestId(exchange);
        InvalidRequestException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidRequestException.class);
        String title = switch (e.status()) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 413 -> "Body too large";
            case 415 -> "Unsupported media type";
            default -> "Invalid request";
        };
        Problems.answer(exchange, e.status(), title, e.getMessage(), e.parameter());
        LOG.info("Refused {}: {}", exchange.getProperty(OPERATION), e.getMessage());
    }

    private static void ensureRequestId(Exchange exchange) {
        if (exchange.getProperty(REQUEST_ID) == null) {
            String given = exchange.getMessage().getHeader(REQUEST_ID_HEADER, String.class);
            exchange.setProperty(REQUEST_ID, requestId(given));
        }
    }

    /** Anything unexpected: a 500 problem without internals. */
    public void unexpected(Exchange exchange) {
        ensureRequestId(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("Unexpected failure in {}: {}", exchange.getProperty(OPERATION), e == null ? "?" : e.getClass().getName());
        Problems.answer(exchange, 500, "Internal error", "The facade failed unexpectedly; the request id is "
                + exchange.getProperty(REQUEST_ID) + ".", null);
    }
}
