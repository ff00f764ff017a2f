package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Paging through the facade against the sandbox: 500 events created in batches come back, 50 a page, through the
 * next_page links the facade rewrote to point at itself, each exactly once and in the query's order, also while
 * more events are created between pages.
 */
class PagingE2ETest {

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults();

    private final Reader reader = e2e.reader();

    /** 500 events a second apart, created 100 per call; returned newest first. */
    private List<Events.Event> create500(Scope scope, Instant newest) {
        List<Events.Event> all = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            List<Events.Event> events = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = batch * 100 + i;
                events.add(event("acme.paging.item", "acme.item." + n).at(newest.minusSeconds(n)).payload("n", Integer.toString(n)));
            }
            reader.create(scope, events);
            all.addAll(events);
        }
        return all;
    }

    private static List<String> ids(List<Events.Event> events) {
        return events.stream().map(Events.Event::id).toList();
    }

    @Test
    void fiveHundredEventsComeBackFiftyAPageEachExactlyOnce() {
        Scope scope = Scope.fresh();
        List<Events.Event> created = create500(scope, Events.recent());
        assertThat(e2e.sandbox().store().events()).filteredOn(e -> scope.workspace().equals(e.workspace())).hasSize(500);

        Reader.Pages pages = reader.readAll(scope, null, 50);

        assertThat(pages.pages()).hasSize(10);
        for (JsonNode page : pages.pages()) {
            assertThat(page.path("events")).hasSize(50);
            assertThat(page.path("total").asLong()).isEqualTo(500);
        }
        assertThat(pages.pages().get(9).get("next_page").isNull()).isTrue();
        assertThat(pages.ids()).doesNotHaveDuplicates().containsExactlyElementsOf(ids(created)); // newest first
    }

    @Test
    void ascendingOrderPagesTheOtherWay() {
        Scope scope = Scope.fresh();
        List<Events.Event> created = create500(scope, Events.recent());
        ObjectNode filter = Events.JSON.createObjectNode().put("order", "ASC");

        Reader.Pages pages = reader.readAll(scope, filter, 50);

        assertThat(pages.pages()).hasSize(10);
        assertThat(pages.ids()).doesNotHaveDuplicates()
                .containsExactlyElementsOf(created.stream().sorted(Comparator.comparing(Events.Event::occurred)).map(Events.Event::id).toList());
    }

    @Test
    void eventsCreatedBetweenPagesDoNotChangeTheQuery() {
        Scope scope = Scope.fresh();
        Instant newest = Events.recent();
        List<Events.Event> original = create500(scope, newest);
        Set<String> added = new HashSet<>();

        List<String> read = new ArrayList<>();
        JsonNode page = reader.first(scope, null, 50);
        int pages = 1;
        while (true) {
            assertThat(page.path("total").asLong()).as("total of page " + pages).isEqualTo(500);
            read.addAll(Events.ids(page.path("events")));
            // between pages: events newer than all, older than all, and in the middle of what is left to read
            List<Events.Event> more = new ArrayList<>();
            more.add(event("acme.paging.item", "acme.item.new").at(newest.plusMillis(pages)));
            more.add(event("acme.paging.item", "acme.item.old").at(newest.minusSeconds(600).minusMillis(pages)));
            more.add(event("acme.paging.item", "acme.item.mid").at(newest.minusSeconds(pages * 50L + 25).plusMillis(500)));
            more.add(event("acme.paging.item", "acme.item.tie").at(newest.minusSeconds(pages * 50L + 30)));
            reader.create(scope, more);
            more.forEach(e -> added.add(e.id()));
            if (!Reader.hasNext(page)) {
                break;
            }
            page = reader.next(scope, page);
            pages++;
        }

        assertThat(pages).isEqualTo(10);
        assertThat(read).as("the original query's events").doesNotHaveDuplicates().containsExactlyElementsOf(ids(original));
        assertThat(read).doesNotContainAnyElementsOf(added);

        Reader.Pages again = reader.readAll(scope, null, 50);
        assertThat(again.total()).isEqualTo(500 + added.size());
        assertThat(again.ids()).doesNotHaveDuplicates().hasSize(500 + added.size())
                .containsAll(ids(original)).containsAll(added);
    }

    @Test
    void anEventAtTheSameInstantAsAPageBoundaryIsNotLostOrRepeated() {
        Scope scope = Scope.fresh();
        Instant t = Events.recent().truncatedTo(ChronoUnit.SECONDS);
        List<Events.Event> same = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            same.add(event("acme.paging.same", "acme.item.same").at(t));
        }
        reader.create(scope, same);

        Reader.Pages pages = reader.readAll(scope, null, 50);

        assertThat(pages.pages()).hasSize(3);
        assertThat(pages.ids()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(same));
    }
}
