package io.prefectcamel.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic demo events for the demo workspace: flow runs and their task runs moving through
 * Scheduled, Pending, Running and Completed or Failed over the last three days, with a busier last
 * hour; related flows, deployments, work pools, tags and actors as Prefect emits them.
 * Deterministic (fixed random seed) relative to the given start time.
 */
final class SeedData {

    private static final long SEED = 20240401L;
    private static final long SECOND = Timestamps.MICROS_PER_SECOND;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private static final String[] ADJECTIVES = {"amber", "brisk", "crimson", "dapper", "eager", "fuzzy", "gentle",
            "hopeful", "ivory", "jolly", "keen", "lucky", "mellow", "nimble", "olive", "proud", "quiet", "rapid",
            "silver", "tidy", "umber", "vivid", "witty", "zesty"};
    private static final String[] ANIMALS = {"otter", "heron", "lynx", "badger", "falcon", "gecko", "ibis", "jackal",
            "koala", "lemur", "marmot", "newt", "ocelot", "puffin", "quokka", "raven", "salamander", "tapir",
            "urchin", "vole", "walrus", "yak", "zebra", "beaver"};
    private static final String[] FAILURES = {
            "Flow run encountered an exception: TimeoutError: connection timeout after 30s",
            "Flow run encountered an exception: ValueError: schema mismatch in column 'amount'",
            "Flow run encountered an exception: ConnectionRefusedError: database unavailable"};

    private record Ref(String id, String name) {
    }

    private record Flow(Ref ref, String[] tasks) {
    }

    private record Deployment(Ref ref, Flow flow, Ref pool, String poolType, String[] tags) {
    }

    private final Random rnd = new Random(SEED);
    private final long now;
    private final List<StoredEvent> events = new ArrayList<>();

    private SeedData(long now) {
        this.now = now;
    }

    static int seed(EventStore store, Instant now) {
        SeedData data = new SeedData(Timestamps.micros(now));
        data.generate();
        return store.addAll(data.events);
    }

    private Ref ref(String kind, String name) {
        return new Ref("prefect." + kind + "." + Uuids.random(rnd), name);
    }

    private void generate() {
        Ref k8s = ref("work-pool", "k8s-prod");
        Ref local = ref("work-pool", "process-local");
        Flow etl = new Flow(ref("flow", "etl-orders"), new String[] {"extract", "transform", "load"});
        Flow train = new Flow(ref("flow", "train-model"), new String[] {"fetch-features", "fit", "evaluate"});
        Flow report = new Flow(ref("flow", "daily-report"), new String[] {"query-sales", "render-report"});
        Flow sync = new Flow(ref("flow", "sync-crm"), new String[] {"pull-contacts", "push-contacts"});
        Deployment[] deployments = {
                new Deployment(ref("deployment", "etl-orders/hourly"), etl, k8s, "kubernetes", new String[] {"etl", "prod"}),
                new Deployment(ref("deployment", "etl-orders/backfill"), etl, k8s, "kubernetes", new String[] {"etl", "backfill"}),
                new Deployment(ref("deployment", "train-model/weekly"), train, k8s, "kubernetes", new String[] {"ml", "prod"}),
                new Deployment(ref("deployment", "daily-report/nightly"), report, local, "process", new String[] {"reporting", "nightly"}),
                new Deployment(ref("deployment", "sync-crm/every-15m"), sync, local, "process", new String[] {"crm", "prod", "critical"}),
        };
        Ref[] actors = {
                new Ref("prefect-cloud.user." + Uuids.random(rnd), "alice"),
                new Ref("prefect-cloud.user." + Uuids.random(rnd), "bob"),
        };

        // one run about every two hours over the last three days, then a busy last hour
        for (long start = now - 72 * HOUR; start < now - 70 * MINUTE; start += 2 * HOUR - rnd.nextInt(20) * MINUTE) {
            flowRun(deployments[rnd.nextInt(deployments.length)], actors, start);
        }
        for (long start = now - 58 * MINUTE; start < now - 2 * MINUTE; start += 6 * MINUTE + rnd.nextInt(90) * SECOND) {
            flowRun(deployments[rnd.nextInt(deployments.length)], actors, start);
        }
        // a few deployment edits by people
        for (int i = 0; i < 8; i++) {
            Deployment d = deployments[rnd.nextInt(deployments.length)];
            Ref actor = actors[rnd.nextInt(actors.length)];
            long at = now - (long) (rnd.nextDouble() * 70 * HOUR) - HOUR;
            ObjectNode payload = Json.object();
            payload.putObject("updated_fields").put("description", "edited").put("parameters", "changed");
            add(at, "prefect.deployment.updated", Labels.of(Labels.RESOURCE_ID, d.ref.id, Labels.RESOURCE_NAME, d.ref.name),
                    List.of(role(d.flow.ref, "flow"), Labels.of(Labels.RESOURCE_ID, actor.id, Labels.RESOURCE_ROLE, "actor",
                            Labels.RESOURCE_NAME, actor.name)), payload, null);
        }
    }

    private void flowRun(Deployment d, Ref[] actors, long scheduledAt) {
        Ref run = ref("flow-run", ADJECTIVES[rnd.nextInt(ADJECTIVES.length)] + "-" + ANIMALS[rnd.nextInt(ANIMALS.length)]);
        List<Labels> related = new ArrayList<>();
        related.add(role(d.flow.ref, "flow"));
        related.add(role(d.ref, "deployment"));
        related.add(Labels.of(Labels.RESOURCE_ID, d.pool.id, Labels.RESOURCE_ROLE, "work-pool",
                Labels.RESOURCE_NAME, d.pool.name, "prefect.work-pool.type", d.poolType));
        for (String tag : d.tags) {
            related.add(Labels.of(Labels.RESOURCE_ID, "prefect.tag." + tag, Labels.RESOURCE_ROLE, "tag"));
        }
        boolean manual = rnd.nextInt(4) == 0;
        List<Labels> scheduledRelated = related;
        if (manual) {
            Ref actor = actors[rnd.nextInt(actors.length)];
            scheduledRelated = new ArrayList<>(related);
            scheduledRelated.add(Labels.of(Labels.RESOURCE_ID, actor.id, Labels.RESOURCE_ROLE, "actor", Labels.RESOURCE_NAME, actor.name));
        }

        String previous = state(run, "Scheduled", "SCHEDULED", null, null, "", scheduledAt - 30 * SECOND, scheduledRelated, null, null);
        long t = scheduledAt + (1 + rnd.nextInt(3)) * SECOND;
        previous = state(run, "Pending", "PENDING", "Scheduled", "SCHEDULED", "", t, related, previous, null);
        t += (3 + rnd.nextInt(8)) * SECOND;
        previous = state(run, "Running", "RUNNING", "Pending", "PENDING", "", t, related, previous, null);
        if (previous == null) {
            return;
        }

        List<Labels> taskRelated = new ArrayList<>();
        taskRelated.add(Labels.of(Labels.RESOURCE_ID, run.id, Labels.RESOURCE_ROLE, "flow-run", Labels.RESOURCE_NAME, run.name));
        taskRelated.add(role(d.flow.ref, "flow"));
        for (String tag : d.tags) {
            taskRelated.add(Labels.of(Labels.RESOURCE_ID, "prefect.tag." + tag, Labels.RESOURCE_ROLE, "tag"));
        }
        boolean failed = false;
        String failure = null;
        for (String task : d.flow.tasks) {
            Ref taskRun = ref("task-run", task + "-" + Integer.toHexString(0x100 + rnd.nextInt(0xeff)));
            t += (1 + rnd.nextInt(3)) * SECOND;
            String tp = state(taskRun, "Pending", "PENDING", null, null, "", t, taskRelated, null, task);
            t += 500_000;
            tp = state(taskRun, "Running", "RUNNING", "Pending", "PENDING", "", t, taskRelated, tp, task);
            t += (5 + rnd.nextInt(85)) * SECOND;
            boolean taskFails = rnd.nextInt(12) == 0;
            if (taskFails) {
                failure = FAILURES[rnd.nextInt(FAILURES.length)];
                state(taskRun, "Failed", "FAILED", "Running", "RUNNING", failure.replace("Flow run", "Task run"), t, taskRelated, tp, task);
                failed = true;
                break;
            }
            state(taskRun, "Completed", "COMPLETED", "Running", "RUNNING", "", t, taskRelated, tp, task);
        }
        t += SECOND;
        if (failed) {
            state(run, "Failed", "FAILED", "Running", "RUNNING", failure, t, related, previous, null);
        } else {
            state(run, "Completed", "COMPLETED", "Running", "RUNNING", "All states completed.", t, related, previous, null);
        }
    }

    private static Labels role(Ref ref, String role) {
        return Labels.of(Labels.RESOURCE_ID, ref.id, Labels.RESOURCE_ROLE, role, Labels.RESOURCE_NAME, ref.name);
    }

    /** Emits a state-change event (if it is not in the future); returns its id, or null. */
    private String state(Ref resource, String name, String type, String fromName, String fromType, String message,
                         long at, List<Labels> related, String follows, String taskKey) {
        if (at > now - SECOND) {
            return null;
        }
        String kind = resource.id.startsWith("prefect.task-run.") ? "task-run" : "flow-run";
        Labels labels = Labels.of(
                Labels.RESOURCE_ID, resource.id,
                Labels.RESOURCE_NAME, resource.name,
                "prefect.run-count", type.equals("SCHEDULED") || type.equals("PENDING") ? "0" : "1",
                "prefect.state-message", message,
                "prefect.state-name", name,
                "prefect.state-timestamp", Timestamps.format(at),
                "prefect.state-type", type);
        ObjectNode payload = Json.object();
        ObjectNode intended = payload.putObject("intended");
        if (fromType == null) {
            intended.putNull("from");
        } else {
            intended.put("from", fromType);
        }
        intended.put("to", type);
        if (fromType == null) {
            payload.putNull("initial_state");
        } else {
            payload.putObject("initial_state").put("type", fromType).put("name", fromName);
        }
        ObjectNode validated = payload.putObject("validated_state").put("type", type).put("name", name);
        if (!message.isEmpty()) {
            validated.put("message", message);
        }
        if (taskKey != null) {
            payload.putObject("task_run").put("name", resource.name).put("task_key", taskKey).put("dynamic_key", "0");
        }
        return add(at, "prefect." + kind + "." + name, labels, related, payload, follows);
    }

    private String add(long at, String event, Labels resource, List<Labels> related, ObjectNode payload, String follows) {
        String id = Uuids.random(rnd);
        long received = Math.min(now, at + 50_000 + rnd.nextInt(400_000));
        StoredEvent.Builder b = StoredEvent.builder()
                .id(id)
                .occurredMicros(at)
                .event(event)
                .resource(resource)
                .relatedAll(related)
                .payload(payload)
                .follows(follows)
                .account(PrefectSandbox.DEMO_ACCOUNT_ID)
                .workspace(PrefectSandbox.DEMO_WORKSPACE_ID)
                .received(Timestamps.instant(received));
        events.add(b.build());
        return id;
    }
}
