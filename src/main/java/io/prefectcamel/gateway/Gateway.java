package io.prefectcamel.gateway;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The parts of the Prefect call that YAML cannot say well: turning a facade request into the Prefect request,
 * deciding after each attempt whether to retry (and how long to wait), and mapping failures to problems.
 * The route {@code prefect-call} (routes/prefect-call.camel.yaml) does the rest with EIPs.
 */
public class Gateway {

    public static final String OPERATION = "prefect.operation";
    public static final String IDEMPOTENT = "prefect.idempotent";
    public static final String METHOD = "prefect.method";
    public static final String PATH = "prefect.path";
    public static final String PATH_TEMPLATE = "prefect.pathTemplate";
    public static final String QUERY = "prefect.query";
    public static final String BODY = "prefect.body";
    public static final String IF_NONE_MATCH = "prefect.ifNoneMatch";
    public static final String REQUEST_ID = "prefect.requestId";
    public static final String FACADE_PATH = "prefect.facadePath";
    public static final String FACADE_BASE = "prefect.facadeBase";
    public static final String ATTEMPT = "prefect.attempt";
    public static final String STARTED = "prefect.started";
    public static final String AGAIN = "prefect.again";
    public static final String DELAY = "prefect.delay";

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private int maxAttempts = 5;
    private long maxWaitMillis = 30_000;
    private long budgetMillis = 60_000;
    private long backoffMillis = 500;
    private long breakerRetryAfterSeconds = 30;
    private String publicUrl = "";

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public void setMaxWaitMillis(long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
    }

    public void setBudgetMillis(long budgetMillis) {
        this.budgetMillis = budgetMillis;
    }

    public void setBackoffMillis(long backoffMillis) {
        this.backoffMillis = backoffMillis;
    }

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
        String requestId = in.getHeader(REQUEST_ID_HEADER, String.class);
        if (requestId == null || !SAFE_REQUEST_ID.matcher(requestId).matches()) {
            requestId = UUID.randomUUID().toString();
        }
        exchange.setProperty(REQUEST_ID, requestId);
        MDC.put("requestId", requestId);
        String httpPath = in.getHeader(Exchange.HTTP_PATH, String.class);
        exchange.setProperty(FACADE_PATH, httpPath != null ? httpPath : exchange.getFromEndpoint() != null
                ? exchange.getFromEndpoint().getEndpointBaseUri() : null);
        exchange.setProperty(FACADE_BASE, facadeBase(in));

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
                && !contentType.toLowerCase().matches("application/([a-z0-9.+-]*\\+)?json(\\s*;.*)?")) {
            throw new InvalidRequestException(415, "Content-Type", "The body must be JSON: send 'Content-Type: "
                    + "application/json' (this request said '" + contentType.replaceAll("[\\r\\n]", "") + "').");
        }
        String body = RequestValidator.checkBody(op, in.getBody(byte[].class));
        if (body == null && "POST".equals(method)) {
            body = "{}"; // Prefect wants a Content-Length on every POST; {} reads with its defaults
        }
        exchange.setProperty(BODY, body);
        exchange.setProperty(METHOD, method);
        exchange.setProperty(AGAIN, true);
        exchange.setProperty(PATH, path);
        exchange.setProperty(QUERY, query.length() == 0 ? null : query.toString());
        exchange.setProperty(ATTEMPT, 0);
        exchange.setProperty(STARTED, System.nanoTime());
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

    private String facadeBase(Message in) {
        if (!publicUrl.isEmpty()) {
            return publicUrl;
        }
        String host = in.getHeader("Host", String.class);
        if (host != null && host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")) {
            return "http://" + host;
        }
        return null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Decides after one attempt: done, retry after a wait (sets {@value #AGAIN} and {@value #DELAY}), or give up
     * with a problem answer. Called with the HTTP answer, or from the catch block with the failure.
     */
    public void afterAttempt(Exchange exchange) {
        int attempt = exchange.getProperty(ATTEMPT, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPT, attempt);
        exchange.setProperty(AGAIN, false);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        boolean idempotent = exchange.getProperty(IDEMPOTENT, false, Boolean.class);
        Message msg = exchange.getMessage();

        if (failure == null) {
            int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status == 429) {
                long wait = retryAfterMillis(msg.getHeader("Retry-After", String.class), attempt);
                if (!retry(exchange, attempt, wait, "Prefect answered 429")) {
                    if (msg.getHeader("Retry-After") == null) {
                        msg.setHeader("Retry-After", Math.max(1, (wait + 999) / 1000));
                    }
                    LOG.warn("Prefect still rate-limits after {} attempt(s); answering 429", attempt);
                }
            }
            return;
        }
        if (isBreakerOpen(failure)) {
            msg.setHeader("Retry-After", breakerRetryAfterSeconds);
            Problems.answer(exchange, 503, "Prefect circuit open", "Calls to Prefect failed repeatedly, so they are "
                    + "paused for a while. Retry after " + breakerRetryAfterSeconds + " seconds.", null);
            LOG.warn("Circuit breaker open; answering 503");
            return;
        }
        UpstreamStatusException upstream = find(failure, UpstreamStatusException.class);
        if (upstream != null) {
            long wait = upstream.retryAfter() != null ? retryAfterMillis(upstream.retryAfter(), attempt) : backoff(attempt);
            if (idempotent && retry(exchange, attempt, wait, "Prefect answered " + upstream.status())) {
                return;
            }
            int status = upstream.status() == 503 || upstream.status() == 504 ? upstream.status() : 502;
            if (upstream.retryAfter() != null) {
                msg.setHeader("Retry-After", upstream.retryAfter());
            }
            Problems.answer(exchange, status, "Prefect error", "Prefect answered " + upstream.status()
                    + (idempotent ? " after " + attempt + " attempt(s)" : " (a create is not retried, to avoid duplicates)")
                    + ". Try again later.", null);
            LOG.warn("Prefect answered {} (attempt {}); answering {}", upstream.status(), attempt, status);
            return;
        }
        boolean timeout = isTimeout(failure);
        if (idempotent && retry(exchange, attempt, backoff(attempt), timeout ? "Prefect timed out" : "Prefect unreachable")) {
            return;
        }
        if (timeout) {
            Problems.answer(exchange, 504, "Prefect timeout", "Prefect did not answer in time"
                    + (idempotent ? " (" + attempt + " attempt(s))" : "") + ". Try again later.", null);
        } else {
            Problems.answer(exchange, 502, "Prefect unreachable", "Prefect could not be reached ("
                    + rootCause(failure).getClass().getSimpleName() + ")" + (idempotent ? " after " + attempt + " attempt(s)" : "")
                    + ". Try again later.", null);
        }
        LOG.warn("Prefect call failed for good: {} (attempt {})", rootCause(failure).getClass().getSimpleName(), attempt);
    }

    private boolean retry(Exchange exchange, int attempt, long waitMillis, String why) {
        long elapsed = Duration.ofNanos(System.nanoTime() - exchange.getProperty(STARTED, System.nanoTime(), Long.class)).toMillis();
        if (attempt >= maxAttempts || waitMillis > maxWaitMillis || elapsed + waitMillis > budgetMillis) {
            return false;
        }
        LOG.info("{}; retry {} of {} in {} ms", why, attempt, maxAttempts - 1, waitMillis);
        exchange.setProperty(AGAIN, true);
        exchange.setProperty(DELAY, waitMillis);
        return true;
    }

    /** Retry-After in seconds or as an HTTP-date; without one, exponential backoff with jitter. */
    long retryAfterMillis(String retryAfter, int attempt) {
        if (retryAfter != null) {
            String v = retryAfter.trim();
            try {
                return Math.max(0, Math.round(Double.parseDouble(v) * 1000));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Math.max(0, Duration.between(Instant.now(), when).toMillis());
                } catch (DateTimeParseException notADate) {
                    // fall through to backoff
                }
            }
        }
        return backoff(attempt);
    }

    long backoff(int attempt) {
        long base = backoffMillis << Math.min(attempt - 1, 10);
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static boolean isBreakerOpen(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().endsWith("CallNotPermittedException")) {
                return true;
            }
        }
        return false;
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

    /** Thrown inside the circuit breaker for a 5xx answer so the breaker counts it as a failure. */
    public void checkUpstreamStatus(Exchange exchange) {
        Message msg = exchange.getMessage();
        int status = msg.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 500) {
            throw new UpstreamStatusException(status, msg.getBody(String.class), msg.getHeader(Exchange.CONTENT_TYPE, String.class),
                    msg.getHeader("Retry-After", String.class));
        }
    }

    /** The request is answered: its id leaves the worker thread's log context. */
    public void answered() {
        MDC.remove("requestId");
    }

    /** A refused request becomes a 400/413 problem that names the parameter. */
    public void rejected(Exchange exchange) {
        ensureRequestId(exchange);
        InvalidRequestException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidRequestException.class);
        Problems.answer(exchange, e.status(), e.status() == 413 ? "Body too large" : e.status() == 415 ? "Unsupported media type" : "Invalid request", e.getMessage(), e.parameter());
        LOG.info("Refused {}: {}", exchange.getProperty(OPERATION), e.getMessage());
    }

    private static void ensureRequestId(Exchange exchange) {
        if (exchange.getProperty(REQUEST_ID) == null) {
            String given = exchange.getMessage().getHeader(REQUEST_ID_HEADER, String.class);
            exchange.setProperty(REQUEST_ID, given != null && SAFE_REQUEST_ID.matcher(given).matches()
                    ? given : UUID.randomUUID().toString());
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
