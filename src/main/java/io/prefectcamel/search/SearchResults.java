package io.prefectcamel.search;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The answer of an operation search, the same over REST and MCP: {@code {"results": [...]}}, best first. */
public final class SearchResults {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SearchResults() {
    }

    public static ObjectNode of(List<OperationIndex.Hit> hits) {
        ObjectNode out = F.objectNode();
        ArrayNode results = out.putArray("results");
        for (OperationIndex.Hit h : hits) {
            OperationEntry e = h.operation();
            ObjectNode r = results.addObject();
            r.put("operation_id", e.operationId());
            r.put("tool", e.tool());
            r.put("method", e.method());
            r.put("path", e.path());
            r.put("prefect_method", e.prefectMethod());
            r.put("prefect_path", e.prefectPath());
            r.put("summary", e.summary());
            if (h.score() == null) {
                r.putNull("score");
            } else {
                r.put("score", Math.round(h.score() * 10_000d) / 10_000d);
            }
        }
        return out;
    }
}
