package dev.remedy.plan;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.LabelSelectors;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The facts the verifier checks a plan against, read from the snapshot on their own (deliberately not shared
 * with the solver, so a mistake in one is caught by the other): pods per node, budgets, etcd, apiservers.
 */
final class ClusterFacts {

    /** A pod that a drain or reboot of its node disrupts. */
    record MovablePod(String budget, long cpuMillis, long memoryBytes) {}

    /** A PodDisruptionBudget's name and allowed disruptions. */
    record BudgetFacts(String name, int allowed) {}

    final Map<String, List<MovablePod>> movablePodsByNode = new HashMap<>();
    final Map<String, long[]> spareByNode = new TreeMap<>();
    final Map<String, BudgetFacts> budgets = new TreeMap<>();
    final Map<String, EtcdFacts.Member> etcdByNode = new HashMap<>();
    final Map<String, EtcdFacts.Member> etcdByName = new HashMap<>();
    final List<String> apiserverNodes = new ArrayList<>();
    final List<String> cniDaemonSets = new ArrayList<>();
    final List<Map<String, String>> nodeLabels = new ArrayList<>();
    int etcdMembers;
    int etcdHealthy;
    long spareCpuMillis;
    long spareMemoryBytes;

    /** The facts of {@code snapshot}; none at all for null, when only the plan is at hand. */
    static ClusterFacts of(Snapshot snapshot) {
        ClusterFacts facts = new ClusterFacts();
        if (snapshot == null) {
            return facts;
        }
        Map<String, List<PodDisruptionBudget>> pdbsByNamespace = new HashMap<>();
        for (PodDisruptionBudget pdb : snapshot.podDisruptionBudgets()) {
            pdbsByNamespace
                    .computeIfAbsent(pdb.getMetadata().getNamespace(), k -> new ArrayList<>())
                    .add(pdb);
        }
        Map<String, int[]> matched = new HashMap<>();
        Map<String, long[]> requested = new HashMap<>();
        Map<List<Object>, List<String>> budgetsByLabels = new HashMap<>();
        for (Pod pod : snapshot.pods()) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String phase = pod.getStatus() == null
                    ? ""
                    : Objects.toString(pod.getStatus().getPhase(), "");
            if (node == null || phase.equals("Succeeded") || phase.equals("Failed")) {
                continue;
            }
            long cpu = 0;
            long memory = 0;
            for (Container container : pod.getSpec().getContainers()) {
                Map<String, Quantity> requests = container.getResources() == null
                        ? null
                        : container.getResources().getRequests();
                cpu += quantity(requests, "cpu", 1000);
                memory += quantity(requests, "memory", 1);
            }
            long[] used = requested.computeIfAbsent(node, k -> new long[2]);
            used[0] += cpu;
            used[1] += memory;
            if ("kube-system".equals(pod.getMetadata().getNamespace())
                    && pod.getSpec().getContainers().stream()
                            .anyMatch(c -> c.getName().equals("kube-apiserver"))
                    && !facts.apiserverNodes.contains(node)) {
                facts.apiserverNodes.add(node);
            }
            boolean staysOnNode = pod.getMetadata().getOwnerReferences() != null
                            && pod.getMetadata().getOwnerReferences().stream()
                                    .anyMatch(o -> o.getKind().equals("DaemonSet")
                                            || o.getKind().equals("Node"))
                    || pod.getMetadata().getAnnotations() != null
                            && pod.getMetadata().getAnnotations().containsKey("kubernetes.io/config.mirror");
            // Pods of one ReplicaSet share their labels: select budgets once per namespace and label set.
            List<String> podBudgets = budgetsByLabels.computeIfAbsent(
                    List.of(pod.getMetadata().getNamespace(), labelsOf(pod)),
                    k -> pdbsByNamespace.getOrDefault(pod.getMetadata().getNamespace(), List.of()).stream()
                            .filter(pdb -> selects(pdb, pod))
                            .map(pdb -> pdb.getMetadata().getNamespace() + "/"
                                    + pdb.getMetadata().getName())
                            .toList());
            for (String name : podBudgets) {
                {
                    int[] counts = matched.computeIfAbsent(name, k -> new int[2]);
                    counts[0]++;
                    if (pod.getStatus() != null
                            && pod.getStatus().getConditions() != null
                            && pod.getStatus().getConditions().stream()
                                    .anyMatch(c -> c.getType().equals("Ready")
                                            && c.getStatus().equals("True"))) {
                        counts[1]++;
                    }
                }
            }
            if (!staysOnNode) {
                List<MovablePod> movable = facts.movablePodsByNode.computeIfAbsent(node, k -> new ArrayList<>());
                if (podBudgets.isEmpty()) {
                    movable.add(new MovablePod(null, cpu, memory));
                } else {
                    movable.add(new MovablePod(podBudgets.get(0), cpu, memory));
                    // A pod in two budgets counts against both; only the first carries its requests.
                    podBudgets.stream().skip(1).forEach(b -> movable.add(new MovablePod(b, 0, 0)));
                }
            }
        }
        for (PodDisruptionBudget pdb : snapshot.podDisruptionBudgets()) {
            String name =
                    pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getName();
            int[] counts = matched.getOrDefault(name, new int[2]);
            facts.budgets.put(name, new BudgetFacts(name, allowed(pdb, counts[0], counts[1])));
        }
        for (Node node : snapshot.nodes()) {
            String name = node.getMetadata().getName();
            facts.nodeLabels.add(
                    node.getMetadata().getLabels() == null
                            ? Map.of()
                            : node.getMetadata().getLabels());
            Map<String, Quantity> allocatable =
                    node.getStatus() == null ? null : node.getStatus().getAllocatable();
            long[] used = requested.getOrDefault(name, new long[2]);
            long[] spare = {
                Math.max(0, quantity(allocatable, "cpu", 1000) - used[0]),
                Math.max(0, quantity(allocatable, "memory", 1) - used[1])
            };
            facts.spareByNode.put(name, spare);
            facts.spareCpuMillis += spare[0];
            facts.spareMemoryBytes += spare[1];
            if (snapshot.etcd().isPresent()) {
                List<String> addresses =
                        node.getStatus() == null || node.getStatus().getAddresses() == null
                                ? List.of()
                                : node.getStatus().getAddresses().stream()
                                        .map(a -> a.getAddress())
                                        .toList();
                snapshot.etcd().get().members().stream()
                        .filter(m -> name.equals(m.name()) || addresses.contains(m.clientHost()))
                        .findFirst()
                        .ifPresent(m -> facts.etcdByNode.put(name, m));
            }
        }
        snapshot.etcd().ifPresent(etcd -> {
            etcd.members().forEach(m -> facts.etcdByName.put(m.name(), m));
            facts.etcdMembers = etcd.members().size();
            facts.etcdHealthy = (int)
                    etcd.members().stream().filter(EtcdFacts.Member::isHealthy).count();
        });
        for (DaemonSet daemonSet : snapshot.daemonSets()) {
            boolean cni = daemonSet.getSpec() != null
                    && daemonSet.getSpec().getTemplate().getSpec().getVolumes() != null
                    && daemonSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                            .anyMatch(v -> v.getHostPath() != null
                                    && Objects.toString(v.getHostPath().getPath(), "")
                                            .startsWith("/etc/cni"));
            if (cni) {
                facts.cniDaemonSets.add(daemonSet.getMetadata().getNamespace() + "/"
                        + daemonSet.getMetadata().getName());
            }
        }
        return facts;
    }

    private static long quantity(Map<String, Quantity> quantities, String name, int scale) {
        Quantity quantity = quantities == null ? null : quantities.get(name);
        return quantity == null
                ? 0
                : quantity.getNumericalAmount()
                        .multiply(BigDecimal.valueOf(scale))
                        .longValue();
    }

    private static Map<String, String> labelsOf(Pod pod) {
        return pod.getMetadata().getLabels() == null
                ? Map.of()
                : pod.getMetadata().getLabels();
    }

    private static boolean selects(PodDisruptionBudget pdb, Pod pod) {
        return pdb.getSpec() != null
                && LabelSelectors.selects(
                        pdb.getSpec().getSelector(), pod.getMetadata().getLabels());
    }

    private static int allowed(PodDisruptionBudget pdb, int expected, int healthy) {
        if (pdb.getStatus() != null && pdb.getStatus().getDisruptionsAllowed() != null) {
            return pdb.getStatus().getDisruptionsAllowed();
        }
        var spec = pdb.getSpec();
        int mustStay = expected;
        if (spec.getMinAvailable() != null) {
            mustStay = count(
                    spec.getMinAvailable().getIntVal(), spec.getMinAvailable().getStrVal(), expected);
        } else if (spec.getMaxUnavailable() != null) {
            mustStay = expected
                    - count(
                            spec.getMaxUnavailable().getIntVal(),
                            spec.getMaxUnavailable().getStrVal(),
                            expected);
        }
        return Math.max(0, healthy - mustStay);
    }

    private static int count(Integer value, String text, int of) {
        if (value != null) {
            return value;
        }
        return text.endsWith("%")
                ? (int) Math.ceil(of * Double.parseDouble(text.substring(0, text.length() - 1)) / 100)
                : Integer.parseInt(text.strip());
    }
}
