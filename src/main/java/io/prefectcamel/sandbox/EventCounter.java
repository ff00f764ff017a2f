package io.prefectcamel.sandbox;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prefect's {@code count-by/{countable}}: time buckets (filled with zero counts) or groups by
 * event name, resource, workspace or actor. Follows Prefect's server: buckets are aligned on
 * 2024-04-01T00:00Z, at most 1000 buckets, groups sorted by count (descending) then label.
 */
final class EventCounter {

    enum Countable { day, time, event, resource, workspace, actor }

    enum TimeUnit {
        week(7 * 86_400L), day(86_400L), hour(3_600L), minute(60L), second(1L);

        final long seconds;

        TimeUnit(long seconds) {
            this.seconds = seconds;
        }

        long deltaMicros(double interval) {
            return Math.max(1L, Math.round(interval * seconds * Timestamps.MICROS_PER_SECOND));
        }

        /** The last microsecond of the unit-long period (pendulum's {@code end_of}) containing t. */
        long endOf(long micros) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, Timestamps.MICROS_PER_SECOND), 0, ZoneOffset.UTC);
            LocalDateTime next = switch (this) {
                case second -> t.plusSeconds(1);
                case minute -> t.withSecond(0).plusMinutes(1);
                case hour -> t.withSecond(0).withMinute(0).plusHours(1);
                case day -> t.toLocalDate().plusDays(1).atStartOfDay();
                case week -> t.toLocalDate().with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay();
            };
            return next.toEpochSecond(ZoneOffset.UTC) * Timestamps.MICROS_PER_SECOND - 1;
        }
    }

    static final int MAX_BUCKETS = 1000;
    static final long PIVOT = LocalDate.of(2024, 4, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * Timestamps.MICROS_PER_SECOND;

    /** One {@code EventCount}. */
    record Count(String value, String label, long count, long startTime, long endTime) {
    }

    private EventCounter() {
    }

    static String expectedCountables() {
        return "'day', 'time', 'event', 'resource', 'workspace' or 'actor'";
    }

    static String expectedUnits() {
        return "'week', 'day', 'hour', 'minute' or 'second'";
    }

    /** Throws Prefect's 422 when the window would need more than 1000 buckets. */
    static void validateBuckets(long since, long until, TimeUnit unit, double interval) {
        long delta = unit.deltaMicros(interval);
        long buckets = (long) Math.ceil((double) (until - since) / delta);
        if (buckets > MAX_BUCKETS) {
            throw ApiException.detail(422, "The given interval would create " + buckets + " buckets, which is too many. "
                    + "Please increase the interval or reduce the time range to produce " + MAX_BUCKETS + " buckets or fewer.");
        }
    }

    static List<Count> count(EventStore store, Scope scope, EventFilter filter, Countable countable,
                             TimeUnit unit, double interval, long nowMicros) {
        validateBuckets(filter.since, filter.until, unit, interval);
        long wm = store.watermark();
        if (countable == Countable.day || countable == Countable.time) {
            TimeUnit u = countable == Countable.day ? TimeUnit.day : unit;
            double i = countable == Countable.day ? 1.0 : interval;
            return timeBuckets(store, scope, filter, wm, u, i, nowMicros);
        }
        Map<String, Group> groups = new HashMap<>();
        store.scan(scope, filter, wm, e -> {
            String value;
            String label;
            switch (countable) {
                case event -> {
                    value = e.event;
                    label = e.event;
                }
                case resource -> {
                    value = e.resource.resourceId();
                    label = nameOf(e.resource);
                }
                case workspace -> {
                    if (e.workspace == null) {
                        return;
                    }
                    value = e.workspace;
                    label = e.workspace;
                }
                case actor -> {
                    Labels actor = e.relatedInRole("actor");
                    if (actor == null) {
                        return;
                    }
                    value = actor.resourceId();
                    label = nameOf(actor);
                }
                default -> throw new IllegalStateException(countable.name());
            }
            groups.computeIfAbsent(value, Group::new).add(e.occurred, label);
        });
        List<Count> counts = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            counts.add(new Count(g.value, g.label, g.count, g.oldest, g.latest));
        }
        counts.sort((a, b) -> {
            int c = Long.compare(b.count, a.count);
            if (c != 0) {
                return c;
            }
            c = a.label.compareTo(b.label);
            return c != 0 ? c : a.value.compareTo(b.value);
        });
        return counts;
    }

    private static String nameOf(Labels resource) {
        String name = resource.get(Labels.RESOURCE_NAME);
        if (name == null) {
            name = resource.get("prefect.name");
        }
        return name == null ? resource.resourceId() : name;
    }

    private static List<Count> timeBuckets(EventStore store, Scope scope, EventFilter filter, long wm,
                                           TimeUnit unit, double interval, long nowMicros) {
        long delta = unit.deltaMicros(interval);
        long end = filter.until;
        if (end > nowMicros) {
            end = unit.endOf(nowMicros);
        }
        long first = Math.floorDiv(filter.since - PIVOT, delta);
        List<long[]> spans = new ArrayList<>();
        for (long start = PIVOT + delta * first; start < end && spans.size() <= MAX_BUCKETS + 1; start += delta) {
            spans.add(new long[] {start, start + delta - 1});
        }
        long[] counts = new long[spans.size()];
        store.scan(scope, filter, wm, e -> {
            long index = Math.floorDiv(e.occurred - PIVOT, delta) - first;
            if (index >= 0 && index < counts.length) {
                counts[(int) index]++;
            }
        });
        List<Count> out = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            long[] span = spans.get(i);
            out.add(new Count(Integer.toString(i), Timestamps.isoformat(span[0]), counts[i], span[0], span[1]));
        }
        return out;
    }

    private static final class Group {
        final String value;
        String label;
        long count;
        long oldest = Long.MAX_VALUE;
        long latest = Long.MIN_VALUE;

        Group(String value) {
            this.value = value;
        }

        void add(long occurred, String label) {
            count++;
            if (occurred < oldest) {
                oldest = occurred;
            }
            if (occurred >= latest) {
                latest = occurred;
                this.label = label;
            }
        }
    }

    static Countable countable(String text) {
        try {
            return Countable.valueOf(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static TimeUnit unit(String text) {
        try {
            return TimeUnit.valueOf(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
