package dev.remedy.risks;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.Versions;
import dev.remedy.facts.derived.EtcdQuorum;
import dev.remedy.facts.derived.Facts;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.Risk;
import dev.remedy.plan.edit.EditException;
import dev.remedy.plan.edit.FileDiff;
import dev.remedy.plan.edit.NodeFileEditor;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses the changes that make each risk's events harmless and builds the prevented state they lead to: more
 * replicas spread over nodes or zones, a PDB where drains take everything at once, added capacity when pods
 * would be left pending, control-plane nodes (etcd members, API servers) spread over zones, and relaxed liveness
 * probes. Every change is a {@link Step}; the same steps change the model, so the simulation can be re-run on
 * exactly what the plan would make.
 */
final class Prevention {

    static final String HOSTNAME = "kubernetes.io/hostname";

    /** One preventive action and the risks it serves; {@code phase} orders it into waves. */
    record Step(
            String key,
            int phase,
            ActionType type,
            String node,
            String path,
            ObjectRef target,
            Map<String, Object> change,
            List<Map<String, Object>> preconditions,
            Risk risk,
            String rationale,
            Set<String> resolves,
            List<String> after) {}

    /** The steps in order, the model they lead to, and why some risks have no step. */
    record Result(List<Step> steps, ClusterModel prevented, Map<String, String> unresolved) {}

    private final ClusterModel model;
    private final Optional<Snapshot> snapshot;
    private final Map<Integer, WorkloadFix> workloadFixes = new TreeMap<>();
    private final Map<String, ModelProbe> probeFixes = new TreeMap<>();
    private final Map<String, Set<String>> probeRisks = new TreeMap<>();
    private final Map<String, String> unresolved = new LinkedHashMap<>();
    private int capacityNodes;
    private ModelNode capacityTemplate;
    private final Set<String> capacityRisks = new TreeSet<>();
    private boolean capacityForZones;
    private long unplacedCpu;
    private long unplacedMemory;
    private int etcdTolerance = -1;
    private boolean etcdZoneSafe;
    /** Members lost outside the zone in the same event set as a zone loss: each zone must hold that many fewer. */
    private int etcdDownBesideZone;

    private int apiServersNeeded;
    private final Set<String> controlPlaneRisks = new TreeSet<>();
    private final Set<String> autoscalerRisks = new TreeSet<>();

    private final Set<String> proposed;

    private Prevention(ClusterModel model, Optional<Snapshot> snapshot, Set<String> proposed) {
        this.model = model;
        this.snapshot = snapshot;
        this.proposed = proposed;
    }

    /** Decides the steps for {@code risks} (by id) and builds the prevented model. */
    static Result prevent(ClusterModel model, Map<String, RiskAnalysis.Found> risks, Optional<Snapshot> snapshot) {
        return prevent(model, risks, snapshot, Set.of());
    }

    /**
     * As {@link #prevent(ClusterModel, Map, Optional)}, where the workloads named in {@code proposed} exist only in
     * a manifest not yet applied: their changes are edits of that manifest, not patches of live objects.
     */
    static Result prevent(
            ClusterModel model,
            Map<String, RiskAnalysis.Found> risks,
            Optional<Snapshot> snapshot,
            Set<String> proposed) {
        Prevention prevention = new Prevention(model, snapshot, proposed);
        risks.forEach(prevention::consider);
        return prevention.result(risks.keySet());
    }

    /** What one workload needs: at least so many replicas, spread over this topology key, and maybe a PDB. */
    private static final class WorkloadFix {
        int replicas;
        String topologyKey = HOSTNAME;
        boolean spread;
        boolean pdb;
        final Set<String> risks = new TreeSet<>();
    }

    private void consider(String id, RiskAnalysis.Found found) {
        List<RiskEvent> events = found.events();
        // A probe that kills a healthy member is prevented by relaxing it: no member is added for it. Every probe
        // of the set is relaxed, so that neither kill is left to pair with another event.
        List<RiskEvent> probeKills =
                events.stream().filter(e -> e.type() == EventType.PROBE_KILL).toList();
        if (!probeKills.isEmpty()) {
            for (RiskEvent probe : probeKills) {
                ModelProbe fix = model.probes.stream()
                        .filter(p -> p.pod().equals(probe.subject()))
                        .findFirst()
                        .orElseThrow();
                if (fix.edits().isEmpty() || fix.manifestPath() == null) {
                    unresolved.put(
                            id, "the probe of " + fix.pod() + " has no collected manifest to edit; relax it by hand");
                } else {
                    probeFixes.put(fix.pod(), fix);
                    probeRisks.computeIfAbsent(fix.pod(), k -> new TreeSet<>()).add(id);
                }
            }
            return;
        }
        boolean zone = events.stream().anyMatch(e -> e.type() == EventType.ZONE_LOSS) && model.nodesByZone.size() > 1;
        boolean evicting = events.stream().anyMatch(e -> e.drainedNodes().length > 0);
        int domains =
                (int) events.stream().filter(e -> e.touchedNodes().length > 0).count();
        for (Outage outage : found.outages()) {
            switch (outage.kind()) {
                case NoReadyReplica -> fixWorkload(id, workload(outage.subject()), domains + 1, zone, evicting, true);
                case ServiceWithoutEndpoints -> {
                    for (int w : workloadsBehind(model.podsByService[service(outage.subject())])) {
                        fixWorkload(id, w, domains + 1, zone, evicting, true);
                    }
                }
                case PdbViolated -> {
                    for (int w : workloadsBehind(model.podsByPdb[pdb(outage.subject())])) {
                        fixWorkload(id, w, 0, zone, false, true);
                    }
                }
                case DrainBlocked -> {
                    int d = pdb(outage.subject());
                    int desired = model.pdbs.get(d).desiredHealthy(model.podsByPdb[d].length);
                    for (int w : workloadsBehind(model.podsByPdb[d])) {
                        fixWorkload(id, w, Math.max(2, desired + 1), zone, false, false);
                    }
                }
                case PodsPending -> {
                    if (events.stream().anyMatch(e -> e.type() == EventType.AUTOSCALER_SCALE_DOWN)) {
                        autoscalerRisks.add(id);
                    } else {
                        capacityForZones |= zone;
                        addCapacity(id, found);
                    }
                }
                case EtcdQuorumLost -> {
                    int down = 0;
                    Set<Integer> lost = lostNodes(events.stream()
                            .filter(e -> e.type() != EventType.ZONE_LOSS)
                            .toList());
                    for (int m = 0; m < model.etcdMembers.size(); m++) {
                        ModelEtcdMember member = model.etcdMembers.get(m);
                        final int index = m;
                        boolean isDown = events.stream()
                                        .filter(e -> e.type() != EventType.ZONE_LOSS)
                                        .anyMatch(e -> contains(e.downMembers(), index))
                                || (member.node() != null && lost.contains(model.node(member.node())));
                        down += isDown ? 1 : 0;
                    }
                    etcdTolerance = Math.max(etcdTolerance, zone ? down + 1 : down);
                    etcdZoneSafe |= zone;
                    if (zone) {
                        etcdDownBesideZone = Math.max(etcdDownBesideZone, down);
                    }
                    controlPlaneRisks.add(id);
                }
                case NoApiServer -> {
                    apiServersNeeded = Math.max(
                            apiServersNeeded,
                            domains
                                    + 1
                                    + (int) events.stream()
                                            .filter(e -> e.type() == EventType.CONTROL_PLANE_RESTART)
                                            .count());
                    controlPlaneRisks.add(id);
                }
            }
        }
    }

    private void fixWorkload(String id, int w, int replicas, boolean zone, boolean pdb, boolean spread) {
        if (w < 0) {
            return;
        }
        ModelWorkload workload = model.workloads.get(w);
        if (!workload.scalable() || workload.selector() == null) {
            unresolved.put(
                    id,
                    workload.key() + " is not a Deployment, StatefulSet or ReplicaSet: "
                            + (workload.kind().equals("Pod")
                                    ? "nothing recreates it; run it under a Deployment with at least 2 replicas"
                                    : "spread it by hand (e.g. widen its nodeSelector)"));
            return;
        }
        WorkloadFix fix = workloadFixes.computeIfAbsent(w, k -> new WorkloadFix());
        fix.replicas = Math.max(fix.replicas, Math.max(workload.replicas(), replicas));
        if (zone) {
            fix.topologyKey = ModelNode.ZONE;
        }
        fix.spread |= spread;
        fix.pdb |= pdb;
        fix.risks.add(id);
    }

    private void addCapacity(String id, RiskAnalysis.Found found) {
        ModelNode template = null;
        for (int n : lostNodes(found.events())) {
            ModelNode node = model.nodes.get(n);
            if (!node.controlPlane() && (template == null || node.cpuMillis() > template.cpuMillis())) {
                template = node;
            }
        }
        for (RiskEvent event : found.events()) {
            for (int n : event.drainedNodes()) {
                ModelNode node = model.nodes.get(n);
                if (!node.controlPlane() && (template == null || node.cpuMillis() > template.cpuMillis())) {
                    template = node;
                }
            }
        }
        if (template == null || template.cpuMillis() == 0 || template.memoryBytes() == 0) {
            unresolved.put(id, "no worker node to copy for added capacity; add nodes by hand");
            return;
        }
        Simulation simulation = found.simulation();
        int needed = (int) Math.max(
                Math.ceil((double) simulation.pendingCpuMillis() / template.cpuMillis()),
                Math.ceil((double) simulation.pendingMemoryBytes() / template.memoryBytes()));
        needed = Math.max(1, needed);
        if (needed > capacityNodes) {
            capacityNodes = needed;
            capacityTemplate = template;
        }
        capacityRisks.add(id);
    }

    /** Rounds of adding capacity until the prevented state absorbs its worst single node loss or drain. */
    static final int CAPACITY_ROUNDS = 4;
    /** The most requested nodes whose loss and drain decide how much capacity to add. */
    static final int CAPACITY_PROBES = 20;

    private Result result(Set<String> risks) {
        for (int round = 0; ; round++) {
            ClusterModel.Builder builder = model.toBuilder();
            List<Step> steps = waves(builder);
            ClusterModel prevented = builder.build();
            if (round == CAPACITY_ROUNDS || (capacityNodes == 0 && workloadFixes.isEmpty())) {
                return finish(risks, steps, prevented);
            }
            long[] need = worstPending(prevented);
            ModelNode template = capacityTemplate != null ? capacityTemplate : largestWorker();
            if ((need[0] == 0 && need[1] == 0) || template == null) {
                return finish(risks, steps, prevented);
            }
            capacityTemplate = template;
            capacityNodes += (int) Math.max(
                    1,
                    Math.max(
                            Math.ceil((double) need[0] / Math.max(1, template.cpuMillis())),
                            Math.ceil((double) need[1] / Math.max(1, template.memoryBytes()))));
        }
    }

    /**
     * The result, with every risk that no step resolves and no rule declared unresolved listed as unresolved: a
     * plan must account for each risk, and an outage this planner has no remedy for is said, not dropped.
     */
    private Result finish(Set<String> risks, List<Step> steps, ClusterModel prevented) {
        Set<String> resolved = new HashSet<>();
        steps.forEach(step -> resolved.addAll(step.resolves()));
        Map<String, String> all = new LinkedHashMap<>(unresolved);
        for (String id : risks) {
            if (!resolved.contains(id) && !all.containsKey(id)) {
                all.put(id, "no preventive action of this planner applies to its outages: prevent it by hand");
            }
        }
        return new Result(steps, prevented, all);
    }

    /**
     * All steps, laid out in waves. Capacity comes first. Any etcd member change is preceded by a snapshot, which
     * then also precedes every etcd manifest edit. Each relaxed probe restarts its member, so each has a wave of its
     * own, before the member changes when etcd keeps its quorum through one restart today (or has one member, which
     * the probe restarts anyway), after them otherwise. Member changes come one per wave, workloads last, after
     * the capacity their replicas need.
     */
    private List<Step> waves(ClusterModel.Builder builder) {
        List<Step> steps = new ArrayList<>();
        capacitySteps(steps, builder);
        autoscalerSteps(steps, builder);
        boolean capacityFirst = !steps.isEmpty();
        List<Step> members = new ArrayList<>();
        controlPlaneSteps(members, builder);
        boolean memberChanges = members.stream()
                .anyMatch(s -> s.type() == ActionType.EtcdMemberAdd || s.type() == ActionType.EtcdMemberRemove);
        boolean restartKeepsQuorum =
                model.etcdMembers.size() <= 1 || healthyMembers() - 1 >= EtcdQuorum.quorum(model.etcdMembers.size());
        List<Step> probes = new ArrayList<>();
        probeSteps(probes, builder, restartKeepsQuorum || memberChanges);
        List<Step> workloads = new ArrayList<>();
        workloadSteps(workloads, builder);
        int phase = 1;
        if (memberChanges) {
            steps.add(snapshotStep(phase++, controlPlaneRisks));
        }
        if (restartKeepsQuorum) {
            phase = append(steps, probes, phase);
        }
        phase = append(steps, members, phase);
        if (!restartKeepsQuorum) {
            phase = append(steps, probes, phase);
        }
        // Added replicas need the added capacity.
        append(steps, workloads, capacityFirst ? Math.max(phase, 2) : phase);
        return steps;
    }

    /** Adds {@code group}, whose phases count from 0, from {@code phase} on; returns the next free phase. */
    private static int append(List<Step> steps, List<Step> group, int phase) {
        int next = phase;
        for (Step s : group) {
            steps.add(new Step(
                    s.key(),
                    phase + s.phase(),
                    s.type(),
                    s.node(),
                    s.path(),
                    s.target(),
                    s.change(),
                    s.preconditions(),
                    s.risk(),
                    s.rationale(),
                    s.resolves(),
                    s.after()));
            next = Math.max(next, phase + s.phase() + 1);
        }
        return next;
    }

    private Step snapshotStep(int phase, Set<String> risks) {
        return new Step(
                "etcd snapshot",
                phase,
                ActionType.EtcdSnapshot,
                null,
                null,
                null,
                Maps.ordered("to", "/var/lib/etcd-backup/before-member-change.db"),
                List.of(),
                Risk.LOW,
                "A snapshot to restore from if a member change goes wrong, taken before any member or its manifest"
                        + " changes.",
                risks,
                List.of());
    }

    /** The oldest etcd version the snapshot reports, which decides whether members can join as learners. */
    private Optional<Versions> etcdVersion() {
        return snapshot.flatMap(Snapshot::etcd).flatMap(e -> e.members().stream()
                .map(m -> Versions.parse(m.version()))
                .flatMap(Optional::stream)
                .min(Versions::compareTo));
    }

    private int healthyMembers() {
        return (int) model.etcdMembers.stream().filter(ModelEtcdMember::healthy).count();
    }

    /**
     * The requests left pending by the worst loss or drain of one of the most requested nodes of the prevented
     * state (and of a zone, when a zone loss left pods pending), plus new replicas that found no room at all.
     */
    private long[] worstPending(ClusterModel prevented) {
        long cpu = unplacedCpu;
        long memory = unplacedMemory;
        Integer[] byRequests = new Integer[prevented.nodes.size()];
        for (int n = 0; n < byRequests.length; n++) {
            byRequests[n] = n;
        }
        java.util.Arrays.sort(
                byRequests,
                java.util.Comparator.comparingLong(
                                (Integer n) -> -(prevented.nodes.get(n).cpuMillis() - prevented.freeCpu[n]))
                        .thenComparingInt(n -> n));
        Set<String> probes = new java.util.HashSet<>();
        for (int k = 0; k < Math.min(CAPACITY_PROBES, byRequests.length); k++) {
            probes.add(prevented.nodes.get(byRequests[k]).name());
        }
        Simulator simulator = new Simulator(prevented);
        long worstCpu = 0;
        long worstMemory = 0;
        for (RiskEvent event : EventCatalog.withoutScaleDown(prevented)) {
            boolean node = (event.type() == EventType.NODE_LOSS || event.type() == EventType.NODE_DRAIN)
                    && probes.contains(event.subject());
            boolean zone = event.type() == EventType.ZONE_LOSS && capacityForZones;
            if (!node && !zone) {
                continue;
            }
            Simulation simulation = simulator.simulate(List.of(event));
            worstCpu = Math.max(worstCpu, simulation.pendingCpuMillis());
            worstMemory = Math.max(worstMemory, simulation.pendingMemoryBytes());
        }
        return new long[] {cpu + worstCpu, memory + worstMemory};
    }

    private Set<String> workloadRisks() {
        Set<String> risks = new TreeSet<>();
        workloadFixes.values().forEach(f -> risks.addAll(f.risks));
        return risks;
    }

    private ModelNode largestWorker() {
        return model.nodes.stream()
                .filter(n -> !n.controlPlane() && n.cpuMillis() > 0 && n.memoryBytes() > 0)
                .max(java.util.Comparator.comparingLong(ModelNode::cpuMillis).thenComparing(ModelNode::name))
                .orElse(null);
    }

    private void probeSteps(List<Step> steps, ClusterModel.Builder builder, boolean etcdRestartable) {
        for (ModelProbe probe : probeFixes.values()) {
            if ("etcd".equals(probe.component()) && !etcdRestartable) {
                probeRisks
                        .get(probe.pod())
                        .forEach(id -> unresolved.put(
                                id,
                                "relaxing the probe restarts " + probe.pod() + ", and with " + healthyMembers()
                                        + " healthy of " + model.etcdMembers.size()
                                        + " members etcd would lose quorum while it restarts: relax it by hand in a"
                                        + " maintenance window, after an etcd snapshot"));
                continue;
            }
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("format", "yaml");
            change.put("edits", probe.edits());
            Optional<String> before = snapshot.flatMap(s -> s.nodeFacts(probe.node()))
                    .flatMap(f -> f.file(probe.manifestPath()))
                    .map(NodeFacts.HostFile::content);
            if (before.isPresent()) {
                try {
                    String after = NodeFileEditor.apply(before.get(), probe.edits());
                    change.put("resultSha256", Facts.sha256(after));
                    change.put("diff", FileDiff.unified(probe.manifestPath(), before.get(), after));
                } catch (EditException e) {
                    probeRisks
                            .get(probe.pod())
                            .forEach(id -> unresolved.put(
                                    id,
                                    "the probe edit of " + probe.manifestPath() + " cannot be made exactly: "
                                            + e.getMessage()));
                    continue;
                }
            }
            int timeout = ((Number) probe.suggested().get("timeoutSeconds")).intValue();
            steps.add(new Step(
                    "probe " + probe.pod(),
                    steps.size(),
                    ActionType.EditNodeFile,
                    probe.node(),
                    probe.manifestPath(),
                    null,
                    change,
                    List.of(Map.of("fileSha256", probe.manifestSha256())),
                    Risk.LOW,
                    "The liveness probe of " + probe.pod() + " waits " + probe.effectiveTimeoutSeconds()
                            + " s but one check takes " + probe.measuredLatencyMs() + " ms: it would kill a healthy "
                            + probe.component() + ". Giving it twice the measured latency (" + timeout
                            + " s) keeps it a liveness check, not a latency alarm. The kubelet restarts the static pod"
                            + " once when the manifest changes"
                            + ("etcd".equals(probe.component()) && model.etcdMembers.size() == 1
                                    ? ": etcd has one member, so etcd and the API are down while it restarts, as"
                                            + " they are whenever the probe kills it; choose a quiet moment."
                                    : "etcd".equals(probe.component())
                                            ? ", so each member's probe is relaxed in a wave of its own."
                                            : "."),
                    probeRisks.get(probe.pod()),
                    List.of()));
            builder.probes.replaceAll(p -> p.pod().equals(probe.pod())
                    ? new ModelProbe(
                            p.pod(),
                            p.namespace(),
                            p.node(),
                            p.component(),
                            timeout,
                            ((Number) probe.suggested().get("killWindowSeconds")).intValue(),
                            p.measuredLatencyMs(),
                            p.manifestPath(),
                            p.manifestSha256(),
                            List.of(),
                            Map.of())
                    : p);
        }
    }

    private void capacitySteps(List<Step> steps, ClusterModel.Builder builder) {
        if (capacityNodes == 0) {
            return;
        }
        List<String> zones = new ArrayList<>(model.nodesByZone.keySet());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < capacityNodes; i++) {
            String zone = zones.isEmpty() ? capacityTemplate.zone() : zones.get(i % zones.size());
            String name = "remedy-capacity-" + (i + 1);
            names.add(name);
            Map<String, String> labels = new TreeMap<>(capacityTemplate.labels());
            labels.put(HOSTNAME, name);
            if (zone != null) {
                labels.put(ModelNode.ZONE, zone);
            }
            builder.nodes.add(new ModelNode(
                    name,
                    zone,
                    capacityTemplate.cpuMillis(),
                    capacityTemplate.memoryBytes(),
                    capacityTemplate.pods(),
                    labels,
                    capacityTemplate.taints(),
                    false,
                    false,
                    false,
                    null));
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("addNodes", capacityNodes);
        change.put("like", capacityTemplate.name());
        change.put(
                "allocatable",
                Maps.ordered(
                        "cpu",
                        capacityTemplate.cpuMillis() + "m",
                        "memory",
                        capacityTemplate.memoryBytes() / (1024 * 1024) + "Mi"));
        if (!zones.isEmpty()) {
            change.put("zones", zones.subList(0, Math.min(zones.size(), capacityNodes)));
        }
        steps.add(new Step(
                "capacity",
                1,
                ActionType.Manual,
                null,
                null,
                null,
                change,
                List.of(),
                Risk.LOW,
                "Add " + capacityNodes + " node(s) like " + capacityTemplate.name() + " (in its node pool, or raise"
                        + " the pool's minimum size) so that the pods displaced by the worst event, and the replicas this plan"
                        + " adds, still fit.",
                capacityRisks.isEmpty() ? workloadRisks() : capacityRisks,
                List.of()));
    }

    /**
     * The autoscaler removed nodes that a drain or failure then needed: keep the node count as it is, by the node
     * pools' minimum size or the scale-down-disabled annotation.
     */
    private void autoscalerSteps(List<Step> steps, ClusterModel.Builder builder) {
        if (autoscalerRisks.isEmpty()) {
            return;
        }
        int[] unneeded = AutoscalerScaleDown.unneededNodes(model);
        List<String> names = new ArrayList<>();
        for (int n : unneeded) {
            names.add(model.nodes.get(n).name());
        }
        builder.nodes.replaceAll(n -> new ModelNode(
                n.name(),
                n.zone(),
                n.cpuMillis(),
                n.memoryBytes(),
                n.pods(),
                n.labels(),
                n.taints(),
                n.unschedulable(),
                n.controlPlane(),
                true,
                n.resourceVersion()));
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("minNodes", model.nodes.size());
        change.put("orAnnotate", Map.of("cluster-autoscaler.kubernetes.io/scale-down-disabled", "true"));
        change.put("nodes", names);
        steps.add(new Step(
                "autoscaler floor",
                1,
                ActionType.Manual,
                null,
                null,
                null,
                change,
                List.of(),
                Risk.LOW,
                "Raise the node pools' minimum size to today's " + model.nodes.size() + " nodes (or annotate the nodes"
                        + " the autoscaler would remove with scale-down-disabled): the scale-down leaves no room for"
                        + " the pods that a drain or a failure then displaces.",
                autoscalerRisks,
                List.of()));
    }

    private void controlPlaneSteps(List<Step> steps, ClusterModel.Builder builder) {
        if (controlPlaneRisks.isEmpty()) {
            return;
        }
        int members = model.etcdMembers.size();
        int target = members;
        if (etcdTolerance >= 0) {
            target = Math.max(members, 2 * etcdTolerance + 1);
            if (target % 2 == 0) {
                target++;
            }
        }
        int perZoneCap = etcdZoneSafe ? Math.max(1, (target - 1) / 2 - etcdDownBesideZone) : target;
        List<String> zones = new ArrayList<>(model.nodesByZone.keySet());
        int extraZone = 1;
        while (etcdZoneSafe && zones.size() * perZoneCap < target) {
            zones.add("another-zone-" + extraZone++);
        }
        Map<String, Integer> perZone = new TreeMap<>();
        List<Integer> moved = new ArrayList<>();
        List<Integer> replaced = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            ModelEtcdMember member = model.etcdMembers.get(m);
            String zone = member.node() == null || model.node(member.node()) < 0
                    ? null
                    : model.zoneOf(model.node(member.node()));
            int count = perZone.getOrDefault(String.valueOf(zone), 0);
            // An unhealthy member is a failure etcd already has, and the events would come on top of it: it is
            // replaced, removed first as etcd's guide to replacing a failed member says (an added member would
            // otherwise count toward the majority before it starts), so that the counts above hold for healthy ones.
            if (!member.healthy()) {
                replaced.add(m);
            } else if (etcdZoneSafe && count >= perZoneCap) {
                moved.add(m);
            } else {
                perZone.put(String.valueOf(zone), count + 1);
            }
        }
        int apiServers = model.apiServerPods.length;
        int leaving = moved.size() + replaced.size();
        int newNodes = Math.max(target - members + leaving, Math.max(0, apiServersNeeded - apiServers));
        // With stacked etcd, kubeadm join --control-plane gives every control-plane node an etcd member (see
        // memberAddStep): a node added for one more API server is one more member too, and one more node keeps the
        // count odd, since an even one tolerates no more lost members and can put half of them in one zone.
        boolean stacked = members > 0 && model.etcdMembers.stream().allMatch(m -> m.node() != null);
        if (stacked && newNodes > 0 && (members - leaving + newNodes) % 2 == 0) {
            newNodes++;
        }
        int newMembers = stacked ? newNodes : target - members + leaving;
        target = members - leaving + newMembers;
        // The members that vote when the first new one is added: the unhealthy ones are removed before.
        int voting = members - replaced.size();
        boolean learners = false;
        if (newMembers > 0 && members > 0) {
            int healthy = healthyMembers();
            // A voting member that was added but has not started yet counts against the majority; a learner does
            // not vote until promoted. Once one learner is used, so are the rest: promotion is a person's step.
            if (healthy < EtcdQuorum.quorum(members)) {
                controlPlaneRisks.forEach(id -> unresolved.put(
                        id,
                        "etcd has lost quorum (" + healthy + " healthy of " + members
                                + " members) and accepts no member change: restore it from a snapshot first"));
                return;
            }
            if (healthy < EtcdQuorum.quorum(voting + 1)) {
                Optional<Versions> version = etcdVersion();
                if (version.isEmpty() || version.get().compareTo(new Versions(3, 4, 0)) < 0) {
                    controlPlaneRisks.forEach(id -> unresolved.put(
                            id,
                            "each control-plane node to add brings an etcd member, and a member added to etcd votes"
                                    + " before it has started: " + healthy + " healthy of "
                                    + (voting + 1) + " is below the majority of " + EtcdQuorum.quorum(voting + 1)
                                    + ", and etcd "
                                    + version.map(v -> v.major() + "." + v.minor() + "." + v.patch())
                                            .orElse("(version unknown)")
                                    + " has no learners (3.4+): upgrade etcd and add the members as learners, or"
                                    + " add them by hand in a maintenance window after an etcd snapshot"));
                    return;
                }
                learners = true;
            }
        }
        ModelNode template =
                model.nodes.stream().filter(ModelNode::controlPlane).findFirst().orElse(null);
        List<String> previous = new ArrayList<>();
        int phase = 0;
        for (int m : replaced) {
            steps.add(removeStep(
                    builder,
                    model.etcdMembers.get(m),
                    phase++,
                    members - previous.size(),
                    "It is unhealthy, so it counts toward the majority without helping to reach it: it is removed"
                            + " first, while the healthy members are a majority, and a healthy member replaces it.",
                    previous));
        }
        for (int i = 0; i < newNodes; i++) {
            String zone = zones.isEmpty()
                    ? null
                    : zones.stream()
                            .min((a, b) -> Integer.compare(perZone.getOrDefault(a, 0), perZone.getOrDefault(b, 0)))
                            .orElseThrow();
            if (zone != null) {
                perZone.merge(zone, 1, Integer::sum);
            }
            String name = "remedy-control-plane-" + (i + 1);
            Map<String, String> labels = new TreeMap<>();
            labels.put(HOSTNAME, name);
            labels.put("node-role.kubernetes.io/control-plane", "");
            if (zone != null) {
                labels.put(ModelNode.ZONE, zone);
            }
            Taint taint = new TaintBuilder()
                    .withKey("node-role.kubernetes.io/control-plane")
                    .withEffect("NoSchedule")
                    .build();
            builder.nodes.add(new ModelNode(
                    name,
                    zone,
                    template == null ? 2000 : template.cpuMillis(),
                    template == null ? 4L << 30 : template.memoryBytes(),
                    110,
                    labels,
                    List.of(taint),
                    false,
                    true,
                    true,
                    null));
            boolean member = i < newMembers && members > 0;
            if (member) {
                builder.etcdMembers.add(new ModelEtcdMember(name, name, true));
            }
            builder.pods.add(new ModelPod(
                    "kube-system",
                    "kube-apiserver-" + name,
                    name,
                    0,
                    0,
                    Map.of("component", "kube-apiserver"),
                    List.<Toleration>of(),
                    Map.of(),
                    null,
                    List.of(),
                    ModelWorkload.key("Pod", "kube-system", "kube-apiserver-" + name),
                    false,
                    true,
                    false,
                    true,
                    false,
                    "kube-apiserver"));
            String provisionKey = "control-plane " + name;
            steps.add(provisionStep(provisionKey, phase, name, zone, member, previous));
            previous.add(provisionKey);
            if (member) {
                String addKey = "etcd add " + name;
                steps.add(memberAddStep(addKey, phase + 1, name, learners, voting, i, target, provisionKey));
                previous.add(addKey);
                String joinKey = "join " + name;
                steps.add(joinStep(joinKey, phase + 2, name, learners, addKey));
                previous.add(joinKey);
                phase += 3;
            } else {
                phase++;
            }
        }
        for (int m : moved) {
            steps.add(removeStep(
                    builder,
                    model.etcdMembers.get(m),
                    phase++,
                    target + 1,
                    "Its zone would otherwise hold a majority of the members: losing that zone would lose quorum."
                            + " Remove it only after the new members are healthy.",
                    previous));
        }
    }

    private Step removeStep(
            ClusterModel.Builder builder,
            ModelEtcdMember member,
            int phase,
            int membersBefore,
            String rationale,
            List<String> previous) {
        builder.etcdMembers.remove(member);
        Map<String, Object> remove = new LinkedHashMap<>();
        remove.put("member", member.name());
        String key = "etcd remove " + member.name();
        Step step = new Step(
                key,
                phase,
                ActionType.EtcdMemberRemove,
                member.node(),
                null,
                null,
                remove,
                List.of(Maps.ordered("etcdHealthy", true, "members", membersBefore)),
                Risk.MEDIUM,
                rationale,
                controlPlaneRisks,
                previous.isEmpty() ? List.of() : List.of(previous.get(previous.size() - 1)));
        previous.add(key);
        return step;
    }

    /** The address placeholder a person replaces, the same in the member's peer URL and in the join command. */
    static String advertiseAddress(String node) {
        return "<advertise-address-of-" + node + ">";
    }

    /** The peer URL kubeadm join computes for a stacked member: https, the advertise address, port 2380. */
    static String peerUrl(String node) {
        return "https://" + advertiseAddress(node) + ":2380";
    }

    /** A healthy member's node, where etcdctl reaches etcd on 127.0.0.1 with kubeadm's certificates. */
    private String etcdNode() {
        return model.etcdMembers.stream()
                .filter(m -> m.healthy() && m.node() != null)
                .map(ModelEtcdMember::node)
                .findFirst()
                .orElse("an existing control-plane node");
    }

    private Step provisionStep(String key, int phase, String name, String zone, boolean member, List<String> previous) {
        Map<String, Object> provision = new LinkedHashMap<>();
        provision.put("provision", "control-plane node");
        provision.put("name", name);
        if (zone != null) {
            provision.put("zone", zone);
        }
        if (member) {
            provision.put(
                    "instructions",
                    "Provision " + name + " with the cluster's kubeadm, kubelet and container runtime; choose the"
                            + " address it will advertise (" + advertiseAddress(name) + "). Do not run kubeadm join"
                            + " yet: its etcd member is added first, in the next wave.");
        } else {
            provision.put("join", joinCommand(name));
        }
        return new Step(
                key,
                phase,
                ActionType.Manual,
                null,
                null,
                null,
                provision,
                List.of(),
                Risk.MEDIUM,
                "Provision a control-plane node" + (zone == null ? "" : " in zone " + zone)
                        + (zone != null && !model.nodesByZone.containsKey(zone) ? " (a zone with no node today)" : "")
                        + (member
                                ? ", for an API server and an etcd member that survive the events of the risks it"
                                        + " resolves. It joins once its member is added."
                                : " and join it as a control-plane member, so that an API server survives the events"
                                        + " of the risks it resolves."),
                controlPlaneRisks,
                previous.isEmpty() ? List.of() : List.of(previous.get(previous.size() - 1)));
    }

    /*
     * With stacked etcd, `kubeadm join --control-plane` adds the node's etcd member itself: its etcd phase
     * (runEtcdPhase in cmd/kubeadm/app/cmd/phases/join/controlplanejoin.go; control-plane-join/etcd, etcd-join in
     * newer releases) calls CreateStackedEtcdStaticPodManifestFile (cmd/kubeadm/app/phases/etcd/local.go), which
     * adds the member (AddMemberAsLearner with EtcdLearnerMode, else AddMember), writes the etcd static pod
     * manifest with --initial-cluster-state=existing, then promotes a learner (MemberPromote) and waits. An
     * etcdctl member add after the join would add the member twice. Skipping that phase is no way out either: it
     * is also what writes the manifest that starts etcd, which the node's API server needs. But Client.addMember
     * (cmd/kubeadm/app/util/etcd/etcd.go) lists the members first and reuses the one whose peer URL is the node's
     * https://<advertise address>:2380 (for voting adds since kubernetes/kubernetes#92118, v1.19; for learner adds
     * since #127491, v1.32 and backported to 1.28-1.31), and MemberPromote returns early for a voting member. So
     * etcdctl adds the member first, learner or voting as the quorum needs, with exactly that peer URL; the join
     * then finds it, starts it and, with EtcdLearnerMode, promotes it.
     */
    private Step memberAddStep(
            String key, int phase, String name, boolean learners, int members, int i, int target, String provisionKey) {
        String on = etcdNode();
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("member", name);
        add.put("peerURL", peerUrl(name));
        if (learners) {
            add.put("learner", true);
            add.put(
                    "thenPromote",
                    "kubeadm join promotes it once it has caught up when kubeadm's EtcdLearnerMode is on (the"
                            + " default from 1.29); otherwise etcdctl member promote <its id> once it has caught up"
                            + " (etcd refuses before), before the next member change");
        }
        add.put("runOn", on);
        add.put(
                "instructions",
                "On " + on + ", before kubeadm join on " + name + ": add its member with the peer URL kubeadm join"
                        + " computes, https://<its --apiserver-advertise-address>:2380 (an IPv6 address in"
                        + " brackets), so that the join finds this member instead of adding a second one.");
        return new Step(
                key,
                phase,
                ActionType.EtcdMemberAdd,
                null,
                null,
                null,
                add,
                List.of(Maps.ordered("etcdHealthy", true, "members", members + i)),
                Risk.MEDIUM,
                (!learners
                                ? ""
                                : i == 0
                                        ? "As a learner, which does not vote until promoted: added to " + members
                                                + " voting member(s), a voting member that has not started yet would"
                                                + " leave etcd without a majority. "
                                        : "As a learner too, promoted like the one before. ")
                        + "Added before the node joins, since kubeadm join would add it otherwise; it starts when the"
                        + " node joins. One member at a time, each healthy before the next: etcd then tolerates "
                        + (target - 1) / 2 + " lost members" + (etcdZoneSafe ? " and the loss of any one zone" : "")
                        + ".",
                controlPlaneRisks,
                List.of(provisionKey));
    }

    private Step joinStep(String key, int phase, String name, boolean learners, String addKey) {
        String on = etcdNode();
        Map<String, Object> join = new LinkedHashMap<>();
        join.put("join", joinCommand(name));
        join.put("runOn", name);
        join.put(
                "instructions",
                "On " + name + ", with the endpoint, token and hash that 'kubeadm token create"
                        + " --print-join-command' prints on " + on + " and the key that 'kubeadm init phase"
                        + " upload-certs --upload-certs' prints there: " + joinCommand(name) + ". With the address"
                        + " of the member's peer URL, kubeadm finds the member instead of adding it again, writes"
                        + " the etcd static pod that starts it and, with its EtcdLearnerMode on, promotes it. It"
                        + " needs a kubeadm that finds an added member by its peer URL: v1.19-1.28 with"
                        + " EtcdLearnerMode off (their default), v1.32 or later, or a 1.28-1.31 patch release with"
                        + " kubernetes/kubernetes#127491; an older one with EtcdLearnerMode on stops at"
                        + " control-plane-join/etcd with 'Peer URLs already exists'.");
        join.put(
                "verify",
                "etcdctl member list -w table on " + on + " shows " + name + " started"
                        + (learners ? " and not a learner (if it still is: etcdctl member promote <its id>)" : "")
                        + ", and etcdctl endpoint health --cluster reports every member healthy");
        return new Step(
                key,
                phase,
                ActionType.Manual,
                null,
                null,
                null,
                join,
                List.of(),
                Risk.MEDIUM,
                "Joins " + name + " as a control-plane node: its API server starts, and so does its etcd member,"
                        + " added in the wave before.",
                controlPlaneRisks,
                List.of(addKey));
    }

    private static String joinCommand(String node) {
        return "kubeadm join <control-plane endpoint> --control-plane --apiserver-advertise-address="
                + advertiseAddress(node)
                + " --token <token> --discovery-token-ca-cert-hash <hash> --certificate-key <key>";
    }

    private void workloadSteps(List<Step> steps, ClusterModel.Builder builder) {
        if (workloadFixes.isEmpty()) {
            return;
        }
        unplacedCpu = 0;
        unplacedMemory = 0;
        Set<String> fixed = new LinkedHashSet<>();
        workloadFixes.keySet().forEach(w -> fixed.add(model.workloads.get(w).key()));
        builder.pods.removeIf(p -> fixed.contains(p.workload()));
        ClusterModel without = builder.build();
        SpreadPlacement placement = new SpreadPlacement(without);
        for (Map.Entry<Integer, WorkloadFix> entry : workloadFixes.entrySet()) {
            ModelWorkload workload = model.workloads.get(entry.getKey());
            WorkloadFix fix = entry.getValue();
            int[] pods = model.podsByWorkload[entry.getKey()];
            ModelPod template = model.pods.get(pods[0]);
            String key = fix.spread ? fix.topologyKey : null;
            List<String> nodes = placement.place(template, fix.replicas, key);
            for (int i = 0; i < nodes.size(); i++) {
                ModelPod pod = template;
                if (nodes.get(i) == null) {
                    unplacedCpu += pod.cpuMillis();
                    unplacedMemory += pod.memoryBytes();
                }
                builder.pods.add(new ModelPod(
                        pod.namespace(),
                        workload.name() + "-prevented-" + (i + 1),
                        nodes.get(i),
                        pod.cpuMillis(),
                        pod.memoryBytes(),
                        pod.labels(),
                        pod.tolerations(),
                        pod.nodeSelector(),
                        pod.requiredNodeAffinity(),
                        pod.antiAffinity(),
                        pod.workload(),
                        false,
                        false,
                        true,
                        nodes.get(i) != null,
                        pod.localStorage(),
                        null));
            }
            boolean inManifest = proposed.contains(workload.key());
            String manifestNote = inManifest ? "Edit the proposed manifest before applying it: " : "";
            String scaleKey = null;
            List<Map<String, Object>> preconditions = workload.resourceVersion() == null
                    ? List.of()
                    : List.of(Map.of("resourceVersion", workload.resourceVersion()));
            if (fix.replicas > workload.replicas()) {
                scaleKey = "scale " + workload.key();
                steps.add(new Step(
                        scaleKey,
                        0,
                        inManifest ? ActionType.Manual : ActionType.ScaleWorkload,
                        null,
                        null,
                        workload.ref(),
                        Map.of("replicas", fix.replicas),
                        preconditions,
                        Risk.LOW,
                        manifestNote + "From " + workload.replicas() + " to " + fix.replicas
                                + " replicas, so that one replica is"
                                + " left when the events of the risks it resolves take out the others.",
                        fix.risks,
                        List.of()));
            }
            String patchKey = null;
            if (fix.spread) {
                patchKey = "spread " + workload.key();
                Map<String, Object> constraint = new LinkedHashMap<>();
                constraint.put("maxSkew", 1);
                constraint.put("topologyKey", fix.topologyKey);
                constraint.put("whenUnsatisfiable", "DoNotSchedule");
                constraint.put("labelSelector", workload.selector().yaml());
                Map<String, Object> patch = Map.of(
                        "spec",
                        Map.of("template", Map.of("spec", Map.of("topologySpreadConstraints", List.of(constraint)))));
                steps.add(new Step(
                        patchKey,
                        1,
                        inManifest ? ActionType.Manual : ActionType.PatchResource,
                        null,
                        null,
                        workload.ref(),
                        Map.of("patch", patch),
                        scaleKey == null ? preconditions : List.of(),
                        Risk.MEDIUM,
                        manifestNote + "Spreads its replicas over "
                                + (fix.topologyKey.equals(HOSTNAME) ? "nodes" : "zones")
                                + " (a merge patch replaces any topologySpreadConstraints it had); the rollout this"
                                + " starts moves the pods.",
                        fix.risks,
                        scaleKey == null ? List.of() : List.of(scaleKey)));
            }
            if (fix.pdb) {
                Map<String, Object> pdb = new LinkedHashMap<>();
                pdb.put("apiVersion", "policy/v1");
                pdb.put("kind", "PodDisruptionBudget");
                pdb.put("metadata", Maps.ordered("name", workload.name(), "namespace", workload.namespace()));
                pdb.put(
                        "spec",
                        Maps.ordered(
                                "minAvailable",
                                1,
                                "selector",
                                workload.selector().yaml()));
                List<String> after =
                        patchKey != null ? List.of(patchKey) : scaleKey != null ? List.of(scaleKey) : List.of();
                steps.add(new Step(
                        "pdb " + workload.key(),
                        2,
                        ActionType.Manual,
                        null,
                        null,
                        new ObjectRef("PodDisruptionBudget", workload.namespace(), workload.name(), null),
                        Map.of("apply", pdb),
                        List.of(Map.of("absent", true)),
                        Risk.LOW,
                        "kubectl apply this budget: drains and autoscaler scale-downs then always leave one replica"
                                + " running instead of evicting all of them at once.",
                        fix.risks,
                        after));
                builder.pdbs.add(new ModelPdb(
                        workload.namespace(), workload.name(), workload.selector(), new IntOrString(1), null));
            }
        }
    }

    private int workload(ObjectRef ref) {
        Integer index = model.workloadIndex.get(ModelWorkload.key(ref.kind(), ref.namespace(), ref.name()));
        return index == null ? -1 : index;
    }

    private int service(ObjectRef ref) {
        for (int s = 0; s < model.services.size(); s++) {
            if (model.services.get(s).ref().equals(ref)) {
                return s;
            }
        }
        throw new IllegalStateException("no service " + ref);
    }

    private int pdb(ObjectRef ref) {
        for (int d = 0; d < model.pdbs.size(); d++) {
            if (model.pdbs.get(d).ref().equals(ref)) {
                return d;
            }
        }
        throw new IllegalStateException("no PDB " + ref);
    }

    private Set<Integer> workloadsBehind(int[] pods) {
        Set<Integer> result = new TreeSet<>();
        for (int p : pods) {
            if (model.podWorkload[p] >= 0 && !model.pods.get(p).mirror()) {
                result.add(model.podWorkload[p]);
            }
        }
        return result;
    }

    private static Set<Integer> lostNodes(List<RiskEvent> events) {
        Set<Integer> lost = new TreeSet<>();
        for (RiskEvent event : events) {
            for (int n : event.lostNodes()) {
                lost.add(n);
            }
        }
        return lost;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
