package io.prefectcamel.sandbox;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.prefectcamel.sandbox.Fixtures.ACCOUNT;
import static io.prefectcamel.sandbox.Fixtures.NOW;
import static io.prefectcamel.sandbox.Fixtures.OTHER_WORKSPACE;
import static io.prefectcamel.sandbox.Fixtures.WORKSPACE;
import static io.prefectcamel.sandbox.Fixtures.event;
import static io.prefectcamel.sandbox.Fixtures.filter;
import static io.prefectcamel.sandbox.Fixtures.flowRunEvent;
import static org.assertj.core.api.Assertions.assertThat;

class EventStoreTest {

    private final EventStore store = new EventStore(Clock.fixed(NOW, ZoneOffset.UTC));
    private final Scope workspace = new Scope(ACCOUNT, WORKSPACE);

    private List<StoredEvent> readAll(Scope scope, EventFilter f, int limit) {
        long wm = store.watermark();
        List<StoredEvent> all = new ArrayList<>();
        StoredEvent cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            EventStore.Page page = store.page(scope, f, limit, cursor, wm);
            all.addAll(page.events());
            if (!page.hasMore()) {
                return all;
            }
            StoredEvent last = page.events().get(page.events().size() - 1);
            cursor = StoredEvent.probe(last.occurredMicros(), last.id());
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void addIsIdempotentByIdAndSetsReceived() {
        StoredEvent e = event("a", "r").build();
        assertThat(store.add(e)).isTrue();
        assertThat(store.add(e)).isFalse();
        assertThat(store.addAll(List.of(e, e, event("b", "r").build()))).isEqualTo(1);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.get(e.id()).orElseThrow().received()).isEqualTo(NOW);
    }

    @Test
    void pagesInBothOrdersWithTiesOnOccurred() {
        Instant same = NOW.minusSeconds(30);
        for (int i = 0; i < 25; i++) {
            store.add(event("e" + i, "r").occurred(i % 5 == 0 ? same : NOW.minusSeconds(100 + i)).build());
        }
        List<StoredEvent> desc = readAll(workspace, filter("{}"), 4);
        assertThat(desc).hasSize(25).isSortedAccordingTo(StoredEvent.ORDER.reversed());
        assertThat(new HashSet<>(desc)).hasSize(25);
        List<StoredEvent> asc = readAll(workspace, filter("{\"order\":\"ASC\"}"), 7);
        assertThat(asc).hasSize(25).isSortedAccordingTo(StoredEvent.ORDER);
        assertThat(store.count(workspace, filter("{}"), store.watermark())).isEqualTo(25);
    }

    @Test
    void theWatermarkHidesEventsStoredAfterTheQuery() {
        store.add(event("old", "r").occurred(NOW.minusSeconds(50)).build());
        long wm = store.watermark();
        store.add(event("late", "r").occurred(NOW.minusSeconds(40)).build());
        EventFilter f = filter("{}");
        assertThat(store.count(workspace, f, wm)).isEqualTo(1);
        assertThat(store.page(workspace, f, 10, null, wm).events()).extracting(StoredEvent::event).containsExactly("old");
        assertThat(store.page(workspace, f, 10, null, store.watermark()).events()).hasSize(2);
    }

    @Test
    void workspaceScopeSeesOnlyItsEventsAndAccountScopeSeesAll() {
        store.add(event("ws", "r").build());
        store.add(event("other", "r").workspace(OTHER_WORKSPACE).build());
        store.add(event("account-level", "r").workspace(null).build());
        store.add(event("other-account", "r").account(UUID.randomUUID().toString()).build());
        assertThat(readAll(workspace, filter("{}"), 10)).extracting(StoredEvent::event).containsExactly("ws");
        assertThat(readAll(new Scope(ACCOUNT, null), filter("{}"), 10)).extracting(StoredEvent::event)
                .containsExactlyInAnyOrder("ws", "other", "account-level");
        assertThat(readAll(new Scope(ACCOUNT, UUID.randomUUID().toString()), filter("{}"), 10)).isEmpty();
    }

    @Test
    void idFilterUsesTheIdIndexAndRespectsScope() {
        StoredEvent mine = event("mine", "r").build();
        StoredEvent theirs = event("theirs", "r").workspace(OTHER_WORKSPACE).build();
        store.addAll(List.of(mine, theirs));
        EventFilter f = filter("{\"id\":{\"id\":[\"" + mine.id() + "\",\"" + theirs.id() + "\"]}}");
        assertThat(readAll(workspace, f, 10)).extracting(StoredEvent::id).containsExactly(mine.id());
    }

    @Test
    void distinctReturnsTheFirstEventPerResourceInQueryOrder() {
        String run1 = UUID.randomUUID().toString();
        String run2 = UUID.randomUUID().toString();
        store.add(flowRunEvent("Pending", run1, NOW.minusSeconds(300)));
        store.add(flowRunEvent("Running", run1, NOW.minusSeconds(200)));
        store.add(flowRunEvent("Pending", run2, NOW.minusSeconds(250)));
        store.add(flowRunEvent("Completed", run1, NOW.minusSeconds(100)));
        EventFilter desc = filter("{\"resource\":{\"distinct\":true}}");
        assertThat(readAll(workspace, desc, 1)).extracting(StoredEvent::event)
                .containsExactly("prefect.flow-run.Completed", "prefect.flow-run.Pending");
        assertThat(store.count(workspace, desc, store.watermark())).isEqualTo(2);
        EventFilter asc = filter("{\"order\":\"ASC\",\"resource\":{\"distinct\":true}}");
        assertThat(readAll(workspace, asc, 1)).extracting(e -> e.resource().get("prefect.state-name"))
                .containsExactly("Pending", "Pending");
    }

    @Test
    void flowRunEventsIncludeTaskRunsOnRequest() {
        String run = UUID.randomUUID().toString();
        store.add(flowRunEvent("Running", run, NOW.minusSeconds(100)));
        store.add(event("prefect.task-run.Completed", "prefect.task-run.t1")
                .related("prefect.resource.id", "prefect.flow-run." + run, "prefect.resource.role", "flow-run").build());
        store.add(flowRunEvent("Running", UUID.randomUUID().toString(), NOW.minusSeconds(90)));
        assertThat(store.flowRunEvents(workspace, run, true, true)).hasSize(2);
        assertThat(store.flowRunEvents(workspace, run, false, true)).extracting(StoredEvent::event)
                .containsExactly("prefect.flow-run.Running");
        assertThat(store.flowRunEvents(new Scope(ACCOUNT, OTHER_WORKSPACE), run, true, true)).isEmpty();
        assertThat(store.flowRunIds()).hasSize(2).contains(run);
    }

    @Test
    void tagsAreIndexedFromRelatedTagResources() {
        String run = UUID.randomUUID().toString();
        store.add(flowRunEvent("Pending", run, NOW.minusSeconds(300), "etl", "prod"));
        store.add(flowRunEvent("Running", run, NOW.minusSeconds(100), "etl"));
        List<EventStore.Tag> tags = store.tags(ACCOUNT, WORKSPACE);
        assertThat(tags).extracting(EventStore.Tag::name).containsExactlyInAnyOrder("etl", "prod");
        EventStore.Tag etl = tags.stream().filter(t -> t.name().equals("etl")).findFirst().orElseThrow();
        assertThat(etl.firstSeen()).isEqualTo(NOW.minusSeconds(300));
        assertThat(etl.lastSeen()).isEqualTo(NOW.minusSeconds(100));
        assertThat(store.deleteTag(ACCOUNT, WORKSPACE, "etl")).isTrue();
        assertThat(store.tags(ACCOUNT, WORKSPACE)).extracting(EventStore.Tag::name).containsExactly("prod");
        assertThat(store.tags(ACCOUNT, OTHER_WORKSPACE)).isEmpty();
    }

    @Test
    void identicalRelatedResourcesAreSharedAndClearEmptiesTheStore() {
        String run = UUID.randomUUID().toString();
        store.add(flowRunEvent("Pending", run, NOW.minusSeconds(300), "etl"));
        store.add(flowRunEvent("Running", run, NOW.minusSeconds(200), "etl"));
        List<StoredEvent> events = store.events();
        assertThat(events.get(0).related().get(0)).isSameAs(events.get(1).related().get(0));
        store.clear();
        assertThat(store.size()).isZero();
        assertThat(readAll(workspace, filter("{}"), 10)).isEmpty();
        assertThat(store.tags(ACCOUNT, WORKSPACE)).isEmpty();
    }

    @Test
    void seedDataIsDeterministicAndShowsInTheDefaultWindow() {
        int seeded = SeedData.seed(store, NOW);
        assertThat(seeded).isBetween(300, 900);
        EventStore again = new EventStore(Clock.fixed(NOW, ZoneOffset.UTC));
        SeedData.seed(again, NOW);
        assertThat(again.events()).extracting(StoredEvent::id).isEqualTo(store.events().stream().map(StoredEvent::id).toList());
        assertThat(store.events()).allSatisfy(e -> assertThat(e.occurred()).isBeforeOrEqualTo(NOW));

        Scope demo = new Scope(PrefectSandbox.DEMO_ACCOUNT_ID, PrefectSandbox.DEMO_WORKSPACE_ID);
        EventFilter lastHour = filter("{\"occurred\":{\"since\":\"" + NOW.minusSeconds(3600) + "\"}}");
        assertThat(store.count(demo, lastHour, store.watermark())).isGreaterThanOrEqualTo(50);
        assertThat(store.count(demo, filter("{}"), store.watermark())).isEqualTo(seeded);

        Set<String> names = new HashSet<>();
        store.events().forEach(e -> names.add(e.event()));
        assertThat(names).contains("prefect.flow-run.Scheduled", "prefect.flow-run.Pending", "prefect.flow-run.Running",
                "prefect.flow-run.Completed", "prefect.flow-run.Failed", "prefect.task-run.Completed");
        String flowRun = store.flowRunIds().get(0);
        List<StoredEvent> runEvents = store.flowRunEvents(demo, flowRun, true, false);
        assertThat(runEvents.get(0).event()).isEqualTo("prefect.flow-run.Scheduled");
        assertThat(runEvents).anySatisfy(e -> assertThat(e.event()).startsWith("prefect.task-run."));
        assertThat(runEvents.get(0).relatedInRole("flow")).isNotNull();
        assertThat(runEvents.get(0).relatedInRole("deployment")).isNotNull();
        assertThat(runEvents.get(0).relatedInRole("work-pool")).isNotNull();
        assertThat(runEvents.get(0).relatedInRole("tag").resourceId()).startsWith("prefect.tag.");
        assertThat(store.tags(PrefectSandbox.DEMO_ACCOUNT_ID, PrefectSandbox.DEMO_WORKSPACE_ID)).isNotEmpty();
    }
}
