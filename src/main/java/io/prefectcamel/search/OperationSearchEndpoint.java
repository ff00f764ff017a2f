package io.prefectcamel.search;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.prefectcamel.gateway.FacadeSpec;
import io.prefectcamel.gateway.Gateway;
import io.prefectcamel.gateway.InvalidRequestException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /v1/operations?q=&limit=} (operation searchOperations, routes/search.camel.yaml): searches the facade's
 * operations from its own document; no Prefect call. Bad input is an {@link InvalidRequestException}, which the
 * routes' error handling answers as a 400 problem.
 *
 * <p>Who may use what: every operation the REST facade serves, narrowed by {@link #setCallerFilter}, the seam for
 * the caller's scopes once callers authenticate (by default every caller may see every operation).
 */
public final class OperationSearchEndpoint {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final OperationIndex index;
    private Function<Exchange, Predicate<OperationEntry>> callerFilter = exchange -> operation -> true;

    public OperationSearchEndpoint() {
        this(OperationIndex.of(FacadeSpec.get().document()));
    }

    public OperationSearchEndpoint(OperationIndex index) {
        this.index = index;
    }

    /** What the caller of an exchange may use (applied on top of what the facade serves). */
    public void setCallerFilter(Function<Exchange, Predicate<OperationEntry>> callerFilter) {
        this.callerFilter = callerFilter;
    }

    public void search(Exchange exchange) {
        Message in = exchange.getMessage();
        String given = in.getHeader(Gateway.REQUEST_ID_HEADER, String.class);
        exchange.setProperty(Gateway.REQUEST_ID, Gateway.requestId(given));
        exchange.setProperty(Gateway.FACADE_PATH, in.getHeader(Exchange.HTTP_PATH, "/v1/operations", String.class));
        String q = single(in.getHeader("q"), "q");
        String limitText = single(in.getHeader("limit"), "limit");
        if (q != null && q.length() > OperationIndex.MAX_QUERY_LENGTH) {
            throw new InvalidRequestException(400, "q", "'q' must be at most " + OperationIndex.MAX_QUERY_LENGTH
                    + " characters (it has " + q.length() + ").");
        }
        boolean blank = q == null || q.isBlank();
        int limit = blank ? Integer.MAX_VALUE : OperationIndex.DEFAULT_LIMIT;
        if (limitText != null && !limitText.isEmpty()) {
            limit = limit(limitText);
        }
        List<OperationIndex.Hit> hits = index.search(q, limit, callerFilter.apply(exchange));
        in.setBody(SearchResults.of(hits).toString());
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }

    private static int limit(String text) {
        String t = text.trim();
        int n = WHOLE_NUMBER.matcher(t).matches() ? Integer.parseInt(t) : -1;
        if (n < 1 || n > OperationIndex.MAX_LIMIT) {
            throw new InvalidRequestException(400, "limit", "'limit' must be a whole number from 1 to "
                    + OperationIndex.MAX_LIMIT + " (got '" + clip(t) + "').");
        }
        return n;
    }

    private static String single(Object value, String name) {
        if (value instanceof List<?> list) {
            if (list.size() > 1) {
                throw new InvalidRequestException(400, name, "'" + name + "' must be given once.");
            }
            return list.isEmpty() ? null : String.valueOf(list.get(0));
        }
        return value == null ? null : value.toString();
    }

    private static String clip(String s) {
        String t = s.replaceAll("[\\r\\n\\t]", " ");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
