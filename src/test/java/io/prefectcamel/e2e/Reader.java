package io.prefectcamel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefectcamel.testing.FacadeClient;

/** Creates, reads and counts events through the facade, following next_page links as a caller would. */
public final class Reader {

    private final FacadeClient client;
    private final String baseUrl;

    Reader(FacadeClient client, String baseUrl) {
        this.client = client;
        this.baseUrl = baseUrl;
    }

    /** Creates the events with one call; fails unless the facade answers 204. */
    public void create(Scope scope, Collection<Events.Event> events) {
        HttpResponse<String> answer = client.post(scope.facade() + "/events", Events.body(events));
        assertThat(answer.statusCode()).as("create: " + answer.body()).isEqualTo(204);
    }

    /** The pages of one query, as read. */
    public record Pages(List<JsonNode> pages) {

        /** Every event of every page, in the order read. */
        public List<JsonNode> events() {
            List<JsonNode> all = new ArrayList<>();
            for (JsonNode page : pages) {
                page.path("events").forEach(all::add);
            }
            return all;
        }

        public List<String> ids() {
            return Events.ids(events());
        }

        /** The total of the first page. */
        public long total() {
            return pages.get(0).path("total").asLong();
        }
    }

    /** The first page of a query ({@code limit} null for Prefect's default). */
    public JsonNode first(Scope scope, ObjectNode filter, Integer limit) {
        ObjectNode body = Events.JSON.createObjectNode();
        if (limit != null) {
            body.put("limit", limit);
        }
        if (filter != null) {
            body.set("filter", filter);
        }
        HttpResponse<String> answer = client.post(scope.facade() + "/events/filter", body.toString());
        assertThat(answer.statusCode()).as("filter %s: %s", body, answer.body()).isEqualTo(200);
        return Events.parse(answer.body());
    }

    /** The page a next_page link points at; checks that the link points at the facade's own page operation. */
    public JsonNode next(Scope scope, JsonNode page) {
        String link = page.path("next_page").asText();
        assertThat(link).as("next_page").startsWith(baseUrl + scope.facade() + "/events/filter/next?page-token=");
        HttpResponse<String> answer = client.get(link);
        assertThat(answer.statusCode()).as("next page: " + answer.body()).isEqualTo(200);
        return Events.parse(answer.body());
    }

    public static boolean hasNext(JsonNode page) {
        JsonNode next = page.get("next_page");
        return next != null && !next.isNull();
    }

    /** Every page of a query, following next_page links. */
    public Pages readAll(Scope scope, ObjectNode filter, Integer limit) {
        List<JsonNode> pages = new ArrayList<>();
        JsonNode page = first(scope, filter, limit);
        pages.add(page);
        while (hasNext(page)) {
            assertThat(pages).as("pages read").hasSizeLessThan(10_000);
            page = next(scope, page);
            pages.add(page);
        }
        return new Pages(pages);
    }

    /** {@code count-by/{countable}} with the filter: the answer's counts by value, in the answer's order. */
    public Map<String, Long> countBy(Scope scope, String countable, ObjectNode filter) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (JsonNode c : counts(scope, countable, filter)) {
            counts.put(c.path("value").asText(), c.path("count").asLong());
        }
        return counts;
    }

    /** {@code count-by/{countable}} with the filter: the answer as it is. */
    public JsonNode counts(Scope scope, String countable, ObjectNode filter) {
        ObjectNode body = Events.JSON.createObjectNode();
        if (filter != null) {
            body.set("filter", filter);
        }
        HttpResponse<String> answer = client.post(scope.facade() + "/events/count-by/" + countable, body.toString());
        assertThat(answer.statusCode()).as("count-by %s %s: %s", countable, body, answer.body()).isEqualTo(200);
        return Events.parse(answer.body());
    }
}
