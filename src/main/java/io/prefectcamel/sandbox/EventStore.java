package io.prefectcamel.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The sandbox's in-memory event store.
 *
 * <p>Events are kept in sorted sets ordered by (occurred, id): one per account and one per
 * workspace, plus one per flow run for the flow-run events endpoint. A page read walks a set from
 * its cursor and costs O(log n + events scanned). Writes are serialized; each stored event gets an
 * insertion sequence number, and readers only see events up to a published watermark, which lets a
 * paged query see exactly the events that were stored when it was first run.
 */
public final class EventStore {

    private static final String FLOW_RUN_PREFIX = "prefect.flow-run.";
    private static final String TASK_RUN_PREFIX = "prefect.task-run.";
    private static final String TAG_PREFIX = "prefect.tag.";
    private static final int MAX_CANONICAL_NAMES = 10_000;
    private static final int MAX_CANONICAL_RELATED = 100_000;

    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock();
    private long lastSeq;
    private volatile long watermark;

    private final ConcurrentHashMap<String, StoredEvent> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NavigableSet<StoredEvent>> byScope = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NavigableSet<StoredEvent>> byFlowRun = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, TagInfo>> tagsByWorkspace = new ConcurrentHashMap<>();
    private final LinkedHashSet<String> flowRunIds = new LinkedHashSet<>();

    // de-duplication of label names and whole related resources (guarded by writeLock)
    private final Map<String, String> canonicalNames = new HashMap<>();
    private final Map<List<String>, Labels> canonicalRelated = new HashMap<>();

    public EventStore() {
        this(Clock.systemUTC());
    }

    public EventStore(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }

    long nowMicros() {
        return Timestamps.micros(clock.instant());
    }

    // ---------------------------------------------------------------- writes

    /** Stores the event unless one with its id is already stored. True if it was stored. */
    public boolean add(StoredEvent event) {
        return addAll(List.of(event)) == 1;
    }

    /** Stores the events whose ids are not stored yet; returns how many were stored. */
    public int addAll(Collection<StoredEvent> events) {
        long received = nowMicros();
        int added = 0;
        writeLock.lock();
        try {
            for (StoredEvent e : events) {
                if (byId.containsKey(e.id)) {
                    continue;
                }
                StoredEvent stored = e.stored(lastSeq + 1, received, canonicalResource(e.resource), canonicalRelated(e.related));
                lastSeq++;
                byId.put(stored.id, stored);
                index(stored);
                watermark = lastSeq;
                added++;
            }
        } finally {
            writeLock.unlock();
        }
        return added;
    }

    private void index(StoredEvent e) {
        byScope.computeIfAbsent(e.account, k -> newSet()).add(e);
        if (e.workspace != null) {
            byScope.computeIfAbsent(e.account + "/" + e.workspace, k -> newSet()).add(e);
        }
        String rid = e.resource.resourceId();
        if (rid.startsWith(FLOW_RUN_PREFIX)) {
            String flowRun = rid.substring(FLOW_RUN_PREFIX.length());
            byFlowRun.computeIfAbsent(flowRun, k -> newSet()).add(e);
            flowRunIds.add(flowRun);
        }
        for (Labels r : e.related) {
            String id = r.resourceId();
            if (id.startsWith(FLOW_RUN_PREFIX)) {
                byFlowRun.computeIfAbsent(id.substring(FLOW_RUN_PREFIX.length()), k -> newSet()).add(e);
            }
            if (e.workspace != null && "tag".equals(r.role()) && id.startsWith(TAG_PREFIX) && id.length() > TAG_PREFIX.length()) {
                String tag = id.substring(TAG_PREFIX.length());
                tagsByWorkspace.computeIfAbsent(e.account + "/" + e.workspace, k -> new ConcurrentHashMap<>())
                        .compute(tag, (k, info) -> info == null ? new TagInfo(tag, e.occurred) : info.seen(e.occurred));
            }
        }
    }

    private static NavigableSet<StoredEvent> newSet() {
        return new ConcurrentSkipListSet<>(StoredEvent.ORDER);
    }

    private Labels canonicalResource(Labels labels) {
        return labels.withCanonicalNames(this::canonicalName);
    }

    private String canonicalName(String name) {
        String c = canonicalNames.get(name);
        if (c != null) {
            return c;
        }
        if (canonicalNames.size() < MAX_CANONICAL_NAMES) {
            canonicalNames.put(name, name);
        }
        return name;
    }

    private List<Labels> canonicalRelated(List<Labels> related) {
        if (related.isEmpty()) {
            return Collections.emptyList();
        }
        Labels[] out = new Labels[related.size()];
        for (int i = 0; i < out.length; i++) {
            Labels r = related.get(i);
            List<String> key = r.flat();
            Labels c = canonicalRelated.get(key);
            if (c == null) {
                c = r.withCanonicalNames(this::canonicalName);
                if (canonicalRelated.size() < MAX_CANONICAL_RELATED) {
                    canonicalRelated.put(c.flat(), c);
                }
            }
            out[i] = c;
        }
        return List.of(out);
    }

    /** Removes every event and tag. */
    public void clear() {
        writeLock.lock();
        try {
            byId.clear();
            byScope.clear();
            byFlowRun.clear();
            tagsByWorkspace.clear();
            flowRunIds.clear();
            canonicalNames.clear();
            canonicalRelated.clear();
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- inspection

    public Optional<StoredEvent> get(String id) {
        String canonical = Uuids.canonical(id);
        return canonical == null ? Optional.empty() : Optional.ofNullable(byId.get(canonical));
    }

    public int size() {
        return byId.size();
    }

    /** Every stored event, in (occurred, id) order. */
    public List<StoredEvent> events() {
        List<StoredEvent> all = new ArrayList<>(byId.values());
        all.sort(StoredEvent.ORDER);
        return all;
    }

    /** The ids (UUIDs) of flow runs seen as the resource of an event, in the order first seen. */
    public List<String> flowRunIds() {
        writeLock.lock();
        try {
            return List.copyOf(flowRunIds);
        } finally {
            writeLock.unlock();
        }
    }

    /** A tag in a workspace's tag index. */
    public record Tag(String name, Instant firstSeen, Instant lastSeen) {
    }

    /** The tags indexed for a workspace, in no particular order. */
    public List<Tag> tags(String account, String workspace) {
        Map<String, TagInfo> tags = tagsByWorkspace.get(Uuids.canonical(account) + "/" + Uuids.canonical(workspace));
        if (tags == null) {
            return List.of();
        }
        List<Tag> out = new ArrayList<>(tags.size());
        for (TagInfo info : tags.values()) {
            out.add(new Tag(info.name, Timestamps.instant(info.firstSeen), Timestamps.instant(info.lastSeen)));
        }
        return out;
    }

    /** Removes a tag from a workspace's tag index; true if it was there. */
    public boolean deleteTag(String account, String workspace, String tag) {
        Map<String, TagInfo> tags = tagsByWorkspace.get(Uuids.canonical(account) + "/" + Uuids.canonical(workspace));
        if (tags == null) {
            return false;
        }
        writeLock.lock();
        try {
            return tags.remove(tag) != null;
        } finally {
            writeLock.unlock();
        }
    }

    private static final class TagInfo {
        final String name;
        volatile long firstSeen;
        volatile long lastSeen;

        TagInfo(String name, long seen) {
            this.name = name;
            this.firstSeen = seen;
            this.lastSeen = seen;
        }

        TagInfo seen(long at) {
            if (at < firstSeen) {
                firstSeen = at;
            }
            if (at > lastSeen) {
                lastSeen = at;
            }
            return this;
        }
    }

    // ---------------------------------------------------------------- queries

    /** The insertion sequence of the last fully stored event. */
    long watermark() {
        return watermark;
    }

    /** A page of matching events and whether more follow. */
    record Page(List<StoredEvent> events, boolean hasMore) {
    }

    private NavigableSet<StoredEvent> candidates(Scope scope, EventFilter f) {
        if (f.ids != null) {
            NavigableSet<StoredEvent> set = new TreeSet<>(StoredEvent.ORDER);
            for (String id : f.ids) {
                StoredEvent e = byId.get(id);
                if (e != null && scope.contains(e)) {
                    set.add(e);
                }
            }
            return set;
        }
        NavigableSet<StoredEvent> set = byScope.get(scope.key());
        return set == null ? new TreeSet<>(StoredEvent.ORDER) : set;
    }

    /** How many events match (distinct resources, when the filter asks for distinct). */
    long count(Scope scope, EventFilter f, long wm) {
        if (f.until < f.since) {
            return 0;
        }
        NavigableSet<StoredEvent> window = candidates(scope, f).subSet(
                StoredEvent.probe(f.since, StoredEvent.MIN_ID), true, StoredEvent.probe(f.until, StoredEvent.MAX_ID), true);
        if (f.distinct) {
            Set<String> resources = new HashSet<>();
            for (StoredEvent e : window) {
                if (e.seq <= wm && f.matchesCriteria(e)) {
                    resources.add(e.resource.resourceId());
                }
            }
            return resources.size();
        }
        long n = 0;
        for (StoredEvent e : window) {
            if (e.seq <= wm && f.matchesCriteria(e)) {
                n++;
            }
        }
        return n;
    }

    /** Visits every matching event in the window in ascending order. */
    void scan(Scope scope, EventFilter f, long wm, Consumer<StoredEvent> visitor) {
        if (f.until < f.since) {
            return;
        }
        NavigableSet<StoredEvent> window = candidates(scope, f).subSet(
                StoredEvent.probe(f.since, StoredEvent.MIN_ID), true, StoredEvent.probe(f.until, StoredEvent.MAX_ID), true);
        for (StoredEvent e : window) {
            if (e.seq <= wm && f.matchesCriteria(e)) {
                visitor.accept(e);
            }
        }
    }

    /**
     * Up to {@code limit} matching events in the filter's order, after the cursor event
     * ({@code after}, exclusive; null from the start), among events stored up to {@code wm}.
     */
    Page page(Scope scope, EventFilter f, int limit, StoredEvent after, long wm) {
        if (f.until < f.since) {
            return new Page(List.of(), false);
        }
        if (f.distinct) {
            return distinctPage(scope, f, limit, after, wm);
        }
        boolean desc = f.order == EventFilter.Order.DESC;
        NavigableSet<StoredEvent> set = candidates(scope, f);
        Iterator<StoredEvent> it;
        if (desc) {
            StoredEvent hi = after != null ? after : StoredEvent.probe(f.until, StoredEvent.MAX_ID);
            it = set.headSet(hi, after == null).descendingIterator();
        } else {
            StoredEvent lo = after != null ? after : StoredEvent.probe(f.since, StoredEvent.MIN_ID);
            it = set.tailSet(lo, after == null).iterator();
        }
        List<StoredEvent> out = new ArrayList<>(Math.min(limit, 256));
        while (it.hasNext()) {
            StoredEvent e = it.next();
            if (desc ? e.occurred < f.since : e.occurred > f.until) {
                break;
            }
            if (e.seq > wm || (desc ? e.occurred > f.until : e.occurred < f.since) || !f.matchesCriteria(e)) {
                continue;
            }
            if (out.size() >= limit) {
                return new Page(out, true);
            }
            out.add(e);
        }
        return new Page(out, false);
    }

    /**
     * With {@code resource.distinct}, Prefect returns one event per resource: the first in the
     * query's order. This walks the whole window, so it is O(window) per page.
     */
    private Page distinctPage(Scope scope, EventFilter f, int limit, StoredEvent after, long wm) {
        boolean desc = f.order == EventFilter.Order.DESC;
        NavigableSet<StoredEvent> window = candidates(scope, f).subSet(
                StoredEvent.probe(f.since, StoredEvent.MIN_ID), true, StoredEvent.probe(f.until, StoredEvent.MAX_ID), true);
        Iterable<StoredEvent> ordered = desc ? window.descendingSet() : window;
        Set<String> seen = new HashSet<>();
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : ordered) {
            if (e.seq > wm || !f.matchesCriteria(e) || !seen.add(e.resource.resourceId())) {
                continue;
            }
            if (after != null) {
                int c = StoredEvent.ORDER.compare(e, after);
                if (desc ? c >= 0 : c <= 0) {
                    continue;
                }
            }
            if (out.size() >= limit) {
                return new Page(out, true);
            }
            out.add(e);
        }
        return new Page(out, false);
    }

    /**
     * Events of a flow run: those whose resource or a related resource is
     * {@code prefect.flow-run.<id>}; without task runs, those whose resource is a task run are left out.
     */
    List<StoredEvent> flowRunEvents(Scope scope, String flowRunId, boolean withTaskRuns, boolean desc) {
        NavigableSet<StoredEvent> set = byFlowRun.get(flowRunId);
        if (set == null) {
            return List.of();
        }
        long wm = watermark;
        List<StoredEvent> out = new ArrayList<>();
        for (StoredEvent e : desc ? set.descendingSet() : set) {
            if (e.seq > wm || !scope.contains(e)) {
                continue;
            }
            if (!withTaskRuns && e.resource.resourceId().startsWith(TASK_RUN_PREFIX)) {
                continue;
            }
            out.add(e);
        }
        return out;
    }
}
