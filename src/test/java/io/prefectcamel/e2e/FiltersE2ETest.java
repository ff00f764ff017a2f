package io.prefectcamel.e2e;

import static io.prefectcamel.e2e.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Event filters through the facade against the sandbox: each filter returns exactly the events it should (checked
 * against the same rule written in Java over the events the test created), over several pages, newest first; and
 * count-by {@code event} and {@code day} with the same filter count exactly those events.
 */
class FiltersE2ETest {

    @RegisterExtension
    static final SandboxUnderTest e2e = SandboxUnderTest.withTestDefaults();

    private static final String[] REGIONS = {"eu-west", "eu-north", "us-east", "ap-south"};
    private static final Scope SCOPE = Scope.fresh();
    /** The newest event; the others are 73 minutes apart, over three days and more. */
    private static final Instant NEWEST = Events.recent().truncatedTo(ChronoUnit.SECONDS);
    private static final List<Events.Event> EVENTS = new ArrayList<>();

    private final Reader reader = e2e.reader();

    private static Instant occurred(int n) {
        return NEWEST.minus(73L * n, ChronoUnit.MINUTES);
    }

    @BeforeAll
    static void createEvents() {
        for (int n = 0; n < 60; n++) {
            String name = switch (n % 3) {
                case 0 -> "acme.order.shipped";
                case 1 -> "acme.order.cancelled";
                default -> "acme.invoice.paid";
            };
            String kind = n % 3 == 2 ? "invoice" : "order";
            Events.Event e = event(name, "acme." + kind + "." + n).at(occurred(n))
                    .label("acme.tier", n % 2 == 0 ? "gold" : "silver")
                    .payload("note", n % 7 == 0 ? "Fragile glass" : "standard box");
            if (n % 10 != 9) {
                e.label("acme.region", REGIONS[n % 4]);
            }
            if (n % 5 == 0) {
                e.related("customer", "acme.customer.alice");
            } else if (n % 5 == 1) {
                e.related("customer", "acme.customer.bob");
            }
            if (n % 2 == 0) {
                e.related("warehouse", "acme.warehouse." + n % 3, "acme.city", n % 3 == 0 ? "Lyon" : "Oslo");
            }
            EVENTS.add(e);
        }
        Reader reader = e2e.reader();
        reader.create(SCOPE, EVENTS.subList(0, 30));
        reader.create(SCOPE, EVENTS.subList(30, 60));
        // the same kinds of events in another workspace of the account: never part of an answer
        List<Events.Event> elsewhere = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            elsewhere.add(event("acme.order.shipped", "acme.order." + n).at(occurred(n)).label("acme.region", "eu-west")
                    .label("acme.tier", "gold").related("customer", "acme.customer.alice").payload("note", "Fragile glass"));
        }
        reader.create(SCOPE.otherWorkspace(), elsewhere);
    }

    // ---- what each filter should return, as rules over the created events

    private static boolean hasRelated(Events.Event e, String role, String id) {
        return e.related().stream().anyMatch(r -> (role == null || role.equals(r.get("prefect.resource.role")))
                && (id == null || id.equals(r.get("prefect.resource.id"))));
    }

    private static String region(Events.Event e) {
        return e.label("acme.region");
    }

    private static boolean text(Events.Event e, String term) {
        StringBuilder s = new StringBuilder(e.name());
        s.append(' ').append(String.join(" ", e.resourceLabels()));
        e.related().forEach(r -> s.append(' ').append(String.join(" ", r.values())));
        e.payload().forEach((k, v) -> s.append(' ').append(k).append(' ').append(v));
        return s.toString().toLowerCase().contains(term);
    }

    static Stream<Arguments> filters() {
        String since = occurred(20).toString();
        String until = occurred(10).toString();
        return Stream.of(
                filter("name prefix", "{\"event\": {\"prefix\": [\"acme.order.\"]}}",
                        e -> e.name().startsWith("acme.order.")),
                filter("name exclude_prefix", "{\"event\": {\"exclude_prefix\": [\"acme.order.\"]}}",
                        e -> !e.name().startsWith("acme.order.")),
                filter("name prefix and exclude_prefix", "{\"event\": {\"prefix\": [\"acme.\"], \"exclude_prefix\": [\"acme.order.c\"]}}",
                        e -> !e.name().equals("acme.order.cancelled")),
                filter("name", "{\"event\": {\"name\": [\"acme.invoice.paid\", \"acme.order.nothing\"]}}",
                        e -> e.name().equals("acme.invoice.paid")),
                filter("resource id", "{\"resource\": {\"id\": [\"acme.order.3\", \"acme.invoice.5\", \"acme.order.5\"]}}",
                        e -> List.of("acme.order.3", "acme.invoice.5").contains(e.resourceId())),
                filter("resource id_prefix", "{\"resource\": {\"id_prefix\": [\"acme.invoice.\"]}}",
                        e -> e.resourceId().startsWith("acme.invoice.")),
                filter("label with a * wildcard", "{\"resource\": {\"labels\": {\"acme.region\": \"eu-*\"}}}",
                        e -> region(e) != null && region(e).startsWith("eu-")),
                filter("label wildcard and ! negation", "{\"resource\": {\"labels\": {\"acme.region\": [\"eu-*\", \"!eu-north\"]}}}",
                        e -> "eu-west".equals(region(e))),
                filter("negated label and another label", "{\"resource\": {\"labels\": {\"acme.region\": \"!us-east\", \"acme.tier\": \"gold\"}}}",
                        e -> region(e) != null && !"us-east".equals(region(e)) && "gold".equals(e.label("acme.tier"))),
                filter("negated wildcard", "{\"resource\": {\"labels\": {\"acme.region\": \"!eu-*\"}}}",
                        e -> region(e) != null && !region(e).startsWith("eu-")),
                filter("label values, any of", "{\"resource\": {\"labels\": {\"acme.region\": [\"us-east\", \"ap-south\"]}}}",
                        e -> "us-east".equals(region(e)) || "ap-south".equals(region(e))),
                filter("related by role", "{\"related\": {\"role\": [\"customer\"]}}",
                        e -> hasRelated(e, "customer", null)),
                filter("related by id", "{\"related\": {\"id\": [\"acme.customer.alice\"]}}",
                        e -> hasRelated(e, null, "acme.customer.alice")),
                filter("related in role", "{\"related\": {\"resources_in_roles\": [[\"acme.customer.bob\", \"customer\"]]}}",
                        e -> hasRelated(e, "customer", "acme.customer.bob")),
                filter("related by role and label", "{\"related\": {\"role\": [\"warehouse\"], \"labels\": {\"acme.city\": \"Ly*\"}}}",
                        e -> e.related().stream().anyMatch(r -> "warehouse".equals(r.get("prefect.resource.role"))
                                && "Lyon".equals(r.get("acme.city")))),
                filter("two related filters, both", "{\"related\": [{\"role\": [\"warehouse\"]}, {\"id\": [\"acme.customer.alice\"]}]}",
                        e -> hasRelated(e, "warehouse", null) && hasRelated(e, null, "acme.customer.alice")),
                filter("any_resource id (a related one)", "{\"any_resource\": {\"id\": [\"acme.customer.alice\"]}}",
                        e -> hasRelated(e, null, "acme.customer.alice")),
                filter("any_resource id_prefix (resource or related)", "{\"any_resource\": {\"id_prefix\": [\"acme.invoice.\", \"acme.warehouse.1\"]}}",
                        e -> e.resourceId().startsWith("acme.invoice.") || hasRelated(e, null, "acme.warehouse.1")),
                filter("any_resource labels", "{\"any_resource\": {\"labels\": {\"acme.city\": \"Oslo\"}}}",
                        e -> e.related().stream().anyMatch(r -> "Oslo".equals(r.get("acme.city")))),
                filter("occurred window, both ends included", "{\"occurred\": {\"since\": \"" + since + "\", \"until\": \"" + until + "\"}}",
                        e -> !e.occurred().isBefore(occurred(20)) && !e.occurred().isAfter(occurred(10))),
                filter("occurred since", "{\"occurred\": {\"since\": \"" + occurred(7).minusMillis(1) + "\"}}",
                        e -> !e.occurred().isBefore(occurred(7))),
                filter("occurred until", "{\"occurred\": {\"until\": \"" + occurred(50).plusMillis(1) + "\"}}",
                        e -> !e.occurred().isAfter(occurred(50))),
                filter("text", "{\"text\": {\"query\": \"fragile\"}}", e -> text(e, "fragile")),
                filter("text, one term or another", "{\"text\": {\"query\": \"alice bob\"}}",
                        e -> text(e, "alice") || text(e, "bob")),
                filter("text with an excluded term", "{\"text\": {\"query\": \"alice -fragile\"}}",
                        e -> text(e, "alice") && !text(e, "fragile")),
                filter("text with a phrase and a required term", "{\"text\": {\"query\": \"\\\"standard box\\\" +lyon\"}}",
                        e -> text(e, "standard box") && text(e, "lyon")),
                filter("everything at once", "{\"event\": {\"prefix\": [\"acme.order.\"]}, "
                        + "\"resource\": {\"labels\": {\"acme.tier\": \"gold\", \"acme.region\": \"!ap-*\"}}, "
                        + "\"related\": {\"role\": [\"warehouse\"]}, "
                        + "\"occurred\": {\"since\": \"" + occurred(45) + "\"}, \"text\": {\"query\": \"-fragile\"}}",
                        e -> e.name().startsWith("acme.order.") && "gold".equals(e.label("acme.tier"))
                                && region(e) != null && !region(e).startsWith("ap-") && hasRelated(e, "warehouse", null)
                                && !e.occurred().isBefore(occurred(45)) && !text(e, "fragile")),
                filter("nothing matches", "{\"event\": {\"prefix\": [\"acme.nothing.\"]}}", e -> false));
    }

    private static Arguments filter(String name, String json, Predicate<Events.Event> rule) {
        return Arguments.of(name, json, rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void theFilterReturnsExactlyItsEventsAndCountsThem(String name, String json, Predicate<Events.Event> rule) {
        ObjectNode filter = (ObjectNode) Events.parse(json);
        List<Events.Event> expected = EVENTS.stream().filter(rule)
                .sorted(Comparator.comparing(Events.Event::occurred).reversed()).toList();

        Reader.Pages pages = reader.readAll(SCOPE, filter, 7);

        assertThat(pages.ids()).as("%s: %s", name, json).doesNotHaveDuplicates()
                .containsExactlyElementsOf(expected.stream().map(Events.Event::id).toList());
        assertThat(pages.total()).isEqualTo(expected.size());

        Map<String, Long> byEvent = reader.countBy(SCOPE, "event", filter);
        assertThat(byEvent).as("count-by event, " + name)
                .isEqualTo(expected.stream().collect(Collectors.groupingBy(Events.Event::name, Collectors.counting())));

        Map<LocalDate, Long> byDay = new TreeMap<>();
        long sum = 0;
        for (JsonNode bucket : reader.counts(SCOPE, "day", filter)) {
            long count = bucket.path("count").asLong();
            sum += count;
            if (count > 0) {
                byDay.put(OffsetDateTime.parse(bucket.path("start_time").asText()).atZoneSameInstant(ZoneOffset.UTC).toLocalDate(), count);
            }
        }
        assertThat(sum).as("count-by day, in all, " + name).isEqualTo(expected.size());
        assertThat(byDay).as("count-by day, " + name).isEqualTo(new TreeMap<>(expected.stream()
                .collect(Collectors.groupingBy(e -> e.occurred().atZone(ZoneOffset.UTC).toLocalDate(), Collectors.counting()))));
    }

    @Test
    void theDatasetSpansSeveralDaysAndMatchesEachRuleSomewhere() {
        assertThat(EVENTS.stream().map(e -> e.occurred().atZone(ZoneOffset.UTC).toLocalDate()).distinct().count()).isGreaterThanOrEqualTo(3);
        filters().forEach(args -> {
            @SuppressWarnings("unchecked")
            Predicate<Events.Event> rule = (Predicate<Events.Event>) args.get()[2];
            long n = EVENTS.stream().filter(rule).count();
            if (!"nothing matches".equals(args.get()[0])) {
                assertThat(n).as("events of " + args.get()[0]).isBetween(1L, (long) EVENTS.size() - 1);
            }
        });
    }

    @Test
    void countByEventWithoutAFilterCountsTheWorkspaceOnly() {
        Map<String, Long> counts = reader.countBy(SCOPE, "event", null);

        assertThat(counts).containsExactly(Map.entry("acme.invoice.paid", 20L), Map.entry("acme.order.cancelled", 20L),
                Map.entry("acme.order.shipped", 20L));
    }
}
