package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefectcamel.testing.FacadeClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flow run's events (with and without its task runs, in either order, a slice by limit and offset, and the
 * If-None-Match/304 exchange passed through the facade), and the workspace's tags (search, sort, pages, delete),
 * through the facade against the sandbox.
 */
class FlowRunsAndTagsE2ETest {

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults();

    private static final Scope SCOPE = Scope.fresh();
    private static final String FLOW_RUN = UUID.randomUUID().toString();
    private static final String OTHER_FLOW_RUN = UUID.randomUUID().toString();
    private static final Instant START = Events.recent().minus(2, ChronoUnit.HOURS);
    /** The flow run's own events, then its task runs' events. */
    private static final List<Events.Event> OWN = new ArrayList<>();
    private static final List<Events.Event> TASK_RUNS = new ArrayList<>();

    private final FacadeClient client = e2e.client();
    private final Reader reader = e2e.reader();

    @BeforeAll
    static void createFlowRunEvents() {
        String[] states = {"Scheduled", "Pending", "Running", "Retrying", "Running", "Completed"};
        List<Events.Event> all = new ArrayList<>();
        for (int k = 0; k < states.length; k++) {
            OWN.add(event("prefect.flow-run." + states[k], "prefect.flow-run." + FLOW_RUN).at(START.plus(k, ChronoUnit.MINUTES))
                    .label("prefect.resource.name", "nightly-etl-run")
                    .related("flow", "prefect.flow." + UUID.randomUUID())
                    .related("tag", "prefect.tag.etl"));
        }
        for (int k = 0; k < 4; k++) {
            TASK_RUNS.add(event("prefect.task-run.Completed", "prefect.task-run." + UUID.randomUUID())
                    .at(START.plus(k, ChronoUnit.MINUTES).plusSeconds(30))
                    .related("flow-run", "prefect.flow-run." + FLOW_RUN));
        }
        all.addAll(OWN);
        all.addAll(TASK_RUNS);
        for (int k = 0; k < 3; k++) {
            all.add(event("prefect.flow-run.Running", "prefect.flow-run." + OTHER_FLOW_RUN).at(START.plusSeconds(k)));
        }
        e2e.reader().create(SCOPE, all);
        // the same flow run id in another workspace: not part of this workspace's answers
        e2e.reader().create(SCOPE.otherWorkspace(), List.of(
                event("prefect.flow-run.Crashed", "prefect.flow-run." + FLOW_RUN).at(START.plusSeconds(90))));
    }

    private HttpResponse<String> flowRunEvents(String query, String... headers) {
        return client.get(SCOPE.facade() + "/flow-runs/" + FLOW_RUN + "/events" + query, headers);
    }

    private static List<String> ids(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Events.ids(Events.parse(answer.body()));
    }

    private static List<String> newestFirst(List<Events.Event> events) {
        return events.stream().sorted(Comparator.comparing(Events.Event::occurred).reversed()).map(Events.Event::id).toList();
    }

    private static List<Events.Event> both() {
        List<Events.Event> all = new ArrayList<>(OWN);
        all.addAll(TASK_RUNS);
        return all;
    }

    @Test
    void aFlowRunsEventsComeWithItsTaskRunsNewestFirst() {
        assertThat(ids(flowRunEvents(""))).containsExactlyElementsOf(newestFirst(both()));
        assertThat(ids(flowRunEvents("?with_task_runs=true&order=DESC"))).containsExactlyElementsOf(newestFirst(both()));
    }

    @Test
    void withoutTaskRunsOnlyTheFlowRunsOwnEvents() {
        assertThat(ids(flowRunEvents("?with_task_runs=false"))).containsExactlyElementsOf(newestFirst(OWN));
    }

    @Test
    void ascendingOrder() {
        List<String> expected = new ArrayList<>(newestFirst(both()));
        Collections.reverse(expected);
        assertThat(ids(flowRunEvents("?order=ASC"))).containsExactlyElementsOf(expected);
    }

    @Test
    void limitAndOffsetSliceTheOrderedEvents() {
        List<String> all = newestFirst(both());
        assertThat(ids(flowRunEvents("?limit=3&offset=2"))).containsExactlyElementsOf(all.subList(2, 5));
        assertThat(ids(flowRunEvents("?limit=4&offset=8"))).containsExactlyElementsOf(all.subList(8, 10));
        assertThat(ids(flowRunEvents("?limit=2&offset=10"))).isEmpty();
        List<String> own = new ArrayList<>(newestFirst(OWN));
        Collections.reverse(own);
        assertThat(ids(flowRunEvents("?with_task_runs=false&order=ASC&limit=2&offset=1"))).containsExactlyElementsOf(own.subList(1, 3));
    }

    @Test
    void ifNoneMatchWithTheCurrentCountIsNotModified() {
        HttpResponse<String> notModified = flowRunEvents("", "If-None-Match", Integer.toString(both().size()));
        assertThat(notModified.statusCode()).as(notModified.body()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();

        HttpResponse<String> ownOnly = flowRunEvents("?with_task_runs=false", "If-None-Match", Integer.toString(OWN.size()));
        assertThat(ownOnly.statusCode()).isEqualTo(304);

        HttpResponse<String> stale = flowRunEvents("", "If-None-Match", Integer.toString(both().size() - 1));
        assertThat(ids(stale)).hasSize(both().size());
    }

    @Test
    void aNewEventMakesTheOldCountStale() {
        Scope scope = Scope.fresh();
        String flowRun = UUID.randomUUID().toString();
        String path = scope.facade() + "/flow-runs/" + flowRun + "/events";
        reader.create(scope, List.of(event("prefect.flow-run.Pending", "prefect.flow-run." + flowRun).at(START)));
        assertThat(client.get(path, "If-None-Match", "1").statusCode()).isEqualTo(304);

        reader.create(scope, List.of(event("prefect.flow-run.Running", "prefect.flow-run." + flowRun).at(START.plusSeconds(1))));

        HttpResponse<String> changed = client.get(path, "If-None-Match", "1");
        assertThat(ids(changed)).hasSize(2);
        assertThat(client.get(path, "If-None-Match", "2").statusCode()).isEqualTo(304);
    }

    // ---------------------------------------------------------------- tags

    /** A fresh workspace whose events carry tags, each tag last seen at a different time. */
    private Scope tagged() {
        Scope scope = Scope.fresh();
        Instant now = Events.recent();
        List<Events.Event> events = List.of(
                event("acme.job.ran", "acme.job.1").at(now.minus(5, ChronoUnit.HOURS)).related("tag", "prefect.tag.env:prod"),
                event("acme.job.ran", "acme.job.2").at(now.minus(6, ChronoUnit.HOURS)).related("tag", "prefect.tag.etl"),
                event("acme.job.ran", "acme.job.3").at(now.minus(4, ChronoUnit.HOURS)).related("tag", "prefect.tag.env:staging"),
                event("acme.job.ran", "acme.job.4").at(now.minus(3, ChronoUnit.HOURS)).related("tag", "prefect.tag.team:data")
                        .related("tag", "prefect.tag.prod-eu"),
                event("acme.job.ran", "acme.job.5").at(now.minus(2, ChronoUnit.HOURS)).related("tag", "prefect.tag.nightly"),
                event("acme.job.ran", "acme.job.6").at(now.minus(1, ChronoUnit.HOURS)).related("tag", "prefect.tag.env:prod"),
                // not a tag: a tag resource in another role
                event("acme.job.ran", "acme.job.7").at(now.minus(1, ChronoUnit.HOURS)).related("label", "prefect.tag.not-a-tag"));
        reader.create(scope, events);
        return scope;
    }

    private JsonNode tags(Scope scope, String query) {
        HttpResponse<String> answer = client.get(scope.facade() + "/tags" + query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Events.parse(answer.body());
    }

    private static List<String> names(JsonNode tags) {
        List<String> names = new ArrayList<>();
        tags.path("results").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    @Test
    void tagsSortedEachWay() {
        Scope scope = tagged();
        List<String> byName = List.of("env:prod", "env:staging", "etl", "nightly", "prod-eu", "team:data");

        assertThat(names(tags(scope, "?sort=NAME_ASC"))).containsExactlyElementsOf(byName);
        List<String> reversed = new ArrayList<>(byName);
        Collections.reverse(reversed);
        assertThat(names(tags(scope, "?sort=NAME_DESC"))).containsExactlyElementsOf(reversed);
        assertThat(names(tags(scope, "?sort=LAST_SEEN_ASC"))).containsExactly("etl", "env:staging", "prod-eu", "team:data",
                "nightly", "env:prod");
        List<String> lastSeenFirst = List.of("env:prod", "nightly", "prod-eu", "team:data", "env:staging", "etl");
        assertThat(names(tags(scope, "?sort=LAST_SEEN_DESC"))).containsExactlyElementsOf(lastSeenFirst);
        assertThat(names(tags(scope, ""))).as("the default order").containsExactlyElementsOf(lastSeenFirst);
    }

    @Test
    void aTagKnowsWhenItWasFirstAndLastSeen() {
        Scope scope = tagged();
        JsonNode prod = tags(scope, "?search=env:prod").path("results").get(0);

        assertThat(prod.path("name").asText()).isEqualTo("env:prod");
        assertThat(Instant.parse(prod.path("last_seen").asText()))
                .isAfter(Instant.parse(prod.path("first_seen").asText()).plus(3, ChronoUnit.HOURS));
    }

    @Test
    void searchFindsTagsContainingTheText() {
        Scope scope = tagged();

        assertThat(names(tags(scope, "?search=env&sort=NAME_ASC"))).containsExactly("env:prod", "env:staging");
        assertThat(names(tags(scope, "?search=prod&sort=NAME_ASC"))).containsExactly("env:prod", "prod-eu");
        assertThat(names(tags(scope, "?search=nothing-like-it"))).isEmpty();
    }

    @Test
    void pagesOfTagsHoldEachTagOnce() {
        Scope scope = tagged();
        JsonNode second = tags(scope, "?sort=NAME_ASC&page=2&limit=4");
        assertThat(names(second)).containsExactly("prod-eu", "team:data");
        assertThat(second.path("count").asInt()).isEqualTo(6);
        assertThat(second.path("pages").asInt()).isEqualTo(2);
        assertThat(second.path("page").asInt()).isEqualTo(2);
        assertThat(second.path("limit").asInt()).isEqualTo(4);

        List<String> all = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode tags = tags(scope, "?sort=LAST_SEEN_DESC&limit=2&page=" + page);
            assertThat(tags.path("pages").asInt()).isEqualTo(3);
            all.addAll(names(tags));
        }
        assertThat(all).doesNotHaveDuplicates().containsExactly("env:prod", "nightly", "prod-eu", "team:data", "env:staging", "etl");
        assertThat(names(tags(scope, "?limit=2&page=4"))).isEmpty();
    }

    @Test
    void aDeletedTagIsGone() {
        Scope scope = tagged();
        String tag = URLEncoder.encode("env:staging", StandardCharsets.UTF_8);

        HttpResponse<String> deleted = client.delete(scope.facade() + "/tags?tag=" + tag);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        JsonNode left = tags(scope, "?sort=NAME_ASC");
        assertThat(names(left)).containsExactly("env:prod", "etl", "nightly", "prod-eu", "team:data");
        assertThat(left.path("count").asInt()).isEqualTo(5);
        assertThat(names(tags(scope, "?search=staging"))).isEmpty();
        assertThat(e2e.sandbox().store().tags(scope.account(), scope.workspace())).extracting(t -> t.name())
                .doesNotContain("env:staging").hasSize(5);
        // the events that carried it are still there
        assertThat(reader.readAll(scope, null, null).total()).isEqualTo(7);
    }
}
