package dev.remedy.risks;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.derived.FactContext;
import dev.remedy.facts.derived.Facts;
import dev.remedy.facts.derived.StaticPodCollection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the {@link ClusterModel} of a snapshot: requests, placement, owners, selectors, etcd and probes. */
public final class ModelReader {

    private static final String MIRROR = "kubernetes.io/config.mirror";
    private static final String SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";
    private static final String SCALE_DOWN_DISABLED = "cluster-autoscaler.kubernetes.io/scale-down-disabled";

    private ModelReader() {}

    public static ClusterModel read(Snapshot snapshot, Instant now) {
        List<ModelNode> nodes = new ArrayList<>();
        boolean autoscaler = false;
        for (Node node : snapshot.nodes()) {
            nodes.add(node(node));
            Map<String, String> annotations = orEmpty(node.getMetadata().getAnnotations());
            autoscaler |= annotations.keySet().stream().anyMatch(k -> k.startsWith("cluster-autoscaler.kubernetes.io"));
        }
        Map<String, ReplicaSet> replicaSets = new HashMap<>();
        snapshot.replicaSets()
                .forEach(rs -> replicaSets.put(
                        rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName(), rs));
        Map<String, ModelWorkload> workloads = new LinkedHashMap<>();
        for (Deployment d : snapshot.deployments()) {
            put(
                    workloads,
                    new ModelWorkload(
                            "Deployment",
                            d.getMetadata().getNamespace(),
                            d.getMetadata().getName(),
                            d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                            LabelSelection.of(d.getSpec().getSelector()),
                            d.getMetadata().getResourceVersion()));
        }
        for (StatefulSet s : snapshot.statefulSets()) {
            put(
                    workloads,
                    new ModelWorkload(
                            "StatefulSet",
                            s.getMetadata().getNamespace(),
                            s.getMetadata().getName(),
                            s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas(),
                            LabelSelection.of(s.getSpec().getSelector()),
                            s.getMetadata().getResourceVersion()));
        }
        for (DaemonSet s : snapshot.daemonSets()) {
            put(
                    workloads,
                    new ModelWorkload(
                            "DaemonSet",
                            s.getMetadata().getNamespace(),
                            s.getMetadata().getName(),
                            0,
                            LabelSelection.of(s.getSpec().getSelector()),
                            s.getMetadata().getResourceVersion()));
        }
        for (ReplicaSet rs : replicaSets.values().stream()
                .sorted(java.util.Comparator.comparing(r ->
                        r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()))
                .toList()) {
            if (controller(rs).isEmpty()) {
                put(
                        workloads,
                        new ModelWorkload(
                                "ReplicaSet",
                                rs.getMetadata().getNamespace(),
                                rs.getMetadata().getName(),
                                rs.getSpec().getReplicas() == null
                                        ? 1
                                        : rs.getSpec().getReplicas(),
                                LabelSelection.of(rs.getSpec().getSelector()),
                                rs.getMetadata().getResourceVersion()));
            }
        }
        List<ModelPod> pods = new ArrayList<>();
        for (Pod pod : snapshot.pods()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase) || pod.getSpec() == null) {
                continue;
            }
            autoscaler |= pod.getMetadata().getName().contains("cluster-autoscaler");
            ModelPod model = pod(pod, replicaSets);
            if (!workloads.containsKey(model.workload())) {
                String[] kindAndName = model.workload().split(" ", 2);
                String name = kindAndName[1].substring(kindAndName[1].indexOf('/') + 1);
                put(workloads, new ModelWorkload(kindAndName[0], model.namespace(), name, 0, null, null));
            }
            pods.add(model);
        }
        List<ModelService> services = new ArrayList<>();
        for (Service service : snapshot.services()) {
            Map<String, String> selector =
                    service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector != null && !selector.isEmpty()) {
                services.add(new ModelService(
                        service.getMetadata().getNamespace(),
                        service.getMetadata().getName(),
                        LabelSelection.of(selector)));
            }
        }
        List<ModelPdb> pdbs = new ArrayList<>();
        for (PodDisruptionBudget pdb : snapshot.podDisruptionBudgets()) {
            pdbs.add(new ModelPdb(
                    pdb.getMetadata().getNamespace(),
                    pdb.getMetadata().getName(),
                    LabelSelection.of(pdb.getSpec().getSelector()),
                    pdb.getSpec().getMinAvailable(),
                    pdb.getSpec().getMaxUnavailable()));
        }
        return new ClusterModel(
                nodes,
                pods,
                List.copyOf(workloads.values()),
                services,
                pdbs,
                etcdMembers(snapshot, pods),
                probes(snapshot, now),
                autoscaler);
    }

    private static void put(Map<String, ModelWorkload> workloads, ModelWorkload workload) {
        workloads.putIfAbsent(workload.key(), workload);
    }

    private static ModelNode node(Node node) {
        Map<String, String> labels = orEmpty(node.getMetadata().getLabels());
        Map<String, Quantity> allocatable = node.getStatus() == null
                ? Map.of()
                : Optional.ofNullable(node.getStatus().getAllocatable())
                        .or(() -> Optional.ofNullable(node.getStatus().getCapacity()))
                        .orElse(Map.of());
        String zone = labels.getOrDefault(ModelNode.ZONE, labels.get(ModelNode.BETA_ZONE));
        boolean ready = Facts.conditionTrue(node, "Ready");
        boolean unschedulable = Boolean.TRUE.equals(
                        node.getSpec() == null ? null : node.getSpec().getUnschedulable())
                || !ready;
        return new ModelNode(
                node.getMetadata().getName(),
                zone,
                milli(allocatable.get("cpu")),
                bytes(allocatable.get("memory")),
                allocatable.get("pods") == null
                        ? 110
                        : bytes(allocatable.get("pods")).intValue(),
                labels,
                node.getSpec() == null || node.getSpec().getTaints() == null
                        ? List.of()
                        : node.getSpec().getTaints(),
                unschedulable,
                Facts.isControlPlane(node),
                "true".equals(orEmpty(node.getMetadata().getAnnotations()).get(SCALE_DOWN_DISABLED)),
                node.getMetadata().getResourceVersion());
    }

    private static ModelPod pod(Pod pod, Map<String, ReplicaSet> replicaSets) {
        return pod(pod, replicaSets, null);
    }

    /** A pod of the given workload, as a pod template describes it (for proposed changes). */
    static ModelPod pod(Pod pod, String workloadKey) {
        return pod(pod, Map.of(), workloadKey);
    }

    private static ModelPod pod(Pod pod, Map<String, ReplicaSet> replicaSets, String workloadKey) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
        Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
        boolean mirror = annotations.containsKey(MIRROR);
        long cpu = 0;
        long memory = 0;
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getResources() != null && container.getResources().getRequests() != null) {
                cpu += milli(container.getResources().getRequests().get("cpu"));
                memory += bytes(container.getResources().getRequests().get("memory"));
            }
        }
        Optional<OwnerReference> owner = controller(pod);
        String workload;
        boolean daemon = false;
        boolean recreated = true;
        if (workloadKey != null) {
            workload = workloadKey;
        } else if (owner.isEmpty() || mirror) {
            workload = ModelWorkload.key("Pod", namespace, pod.getMetadata().getName());
            recreated = false;
        } else if (owner.get().getKind().equals("ReplicaSet")) {
            ReplicaSet rs = replicaSets.get(namespace + "/" + owner.get().getName());
            Optional<OwnerReference> deployment = rs == null ? Optional.empty() : controller(rs);
            workload = deployment.isPresent() && deployment.get().getKind().equals("Deployment")
                    ? ModelWorkload.key(
                            "Deployment", namespace, deployment.get().getName())
                    : ModelWorkload.key("ReplicaSet", namespace, owner.get().getName());
        } else {
            daemon = owner.get().getKind().equals("DaemonSet");
            workload = ModelWorkload.key(
                    owner.get().getKind(), namespace, owner.get().getName());
        }
        List<ModelPod.AntiAffinityTerm> anti = new ArrayList<>();
        var affinity = pod.getSpec().getAffinity();
        if (affinity != null
                && affinity.getPodAntiAffinity() != null
                && affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            for (PodAffinityTerm term :
                    affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()) {
                LabelSelection selection = LabelSelection.of(term.getLabelSelector());
                if (selection != null) {
                    anti.add(new ModelPod.AntiAffinityTerm(term.getTopologyKey(), selection));
                }
            }
        }
        boolean localStorage = pod.getSpec().getVolumes() != null
                && pod.getSpec().getVolumes().stream()
                        .anyMatch(v -> v.getEmptyDir() != null || v.getHostPath() != null);
        if ("true".equals(annotations.get(SAFE_TO_EVICT))) {
            localStorage = false;
        } else if ("false".equals(annotations.get(SAFE_TO_EVICT))) {
            localStorage = true;
        }
        String component = mirror
                ? labels.getOrDefault(
                        "component", pod.getSpec().getContainers().get(0).getName())
                : null;
        return new ModelPod(
                namespace,
                pod.getMetadata().getName(),
                pod.getSpec().getNodeName(),
                cpu,
                memory,
                labels,
                pod.getSpec().getTolerations() == null
                        ? List.of()
                        : pod.getSpec().getTolerations(),
                orEmpty(pod.getSpec().getNodeSelector()),
                affinity == null || affinity.getNodeAffinity() == null
                        ? null
                        : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
                anti,
                workload,
                daemon,
                mirror,
                recreated,
                ready(pod),
                localStorage,
                component);
    }

    private static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<ModelEtcdMember> etcdMembers(Snapshot snapshot, List<ModelPod> pods) {
        List<ModelEtcdMember> members = new ArrayList<>();
        if (snapshot.etcd().isPresent()) {
            for (EtcdFacts.Member member : snapshot.etcd().get().members()) {
                String node = null;
                for (Node candidate : snapshot.nodes()) {
                    String name = candidate.getMetadata().getName();
                    if (Facts.etcdMember(snapshot, name)
                            .map(m -> m.name().equals(member.name()))
                            .orElse(false)) {
                        node = name;
                        break;
                    }
                }
                members.add(new ModelEtcdMember(member.name(), node, member.isHealthy()));
            }
            return members;
        }
        for (ModelPod pod : pods) {
            if ("etcd".equals(pod.component()) && pod.node() != null) {
                members.add(new ModelEtcdMember(pod.node(), pod.node(), pod.ready()));
            }
        }
        return members;
    }

    @SuppressWarnings("unchecked")
    private static List<ModelProbe> probes(Snapshot snapshot, Instant now) {
        List<ModelProbe> probes = new ArrayList<>();
        for (Map<String, Object> fact : new StaticPodCollection().derive(new FactContext(snapshot, now, Map.of()))) {
            Map<String, Object> probe = (Map<String, Object>) fact.get("probe");
            if (!(fact.get("measuredLatencyMs") instanceof Double latency)
                    || !(probe.get("killWindowSeconds") instanceof Integer window)) {
                continue;
            }
            Map<String, Object> manifest = (Map<String, Object>) fact.getOrDefault("manifest", Map.of());
            Map<String, Object> suggested = (Map<String, Object>) fact.getOrDefault("suggestedProbe", Map.of());
            probes.add(new ModelProbe(
                    (String) fact.get("name"),
                    (String) fact.get("namespace"),
                    (String) fact.get("node"),
                    (String) fact.get("component"),
                    (Integer) probe.get("effectiveTimeoutSeconds"),
                    window,
                    latency,
                    (String) manifest.get("path"),
                    (String) manifest.get("sha256"),
                    (List<Map<String, Object>>) suggested.getOrDefault("edits", List.of()),
                    suggested));
        }
        return probes;
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        if (owners == null) {
            return Optional.empty();
        }
        return owners.stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst()
                .or(() -> owners.stream().findFirst());
    }

    static long milli(Quantity quantity) {
        if (quantity == null) {
            return 0;
        }
        return Quantity.getAmountInBytes(quantity)
                .multiply(BigDecimal.valueOf(1000))
                .longValue();
    }

    static Long bytes(Quantity quantity) {
        if (quantity == null) {
            return 0L;
        }
        return Quantity.getAmountInBytes(quantity).longValue();
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
