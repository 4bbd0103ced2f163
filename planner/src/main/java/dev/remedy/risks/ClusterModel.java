package dev.remedy.risks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as the risk simulator sees it, indexed once: nodes and pods by position, pods by node and by
 * workload, Services, PDBs, etcd members, API servers and liveness probes. Events are simulated as small
 * deltas over this model; nothing here is copied per event. A prevented state is a new model built from the
 * same records with a few changed.
 */
public final class ClusterModel {

    final List<ModelNode> nodes;
    final List<ModelPod> pods;
    final List<ModelWorkload> workloads;
    final List<ModelService> services;
    final List<ModelPdb> pdbs;
    final List<ModelEtcdMember> etcdMembers;
    final List<ModelProbe> probes;
    final boolean autoscalerSeen;

    final Map<String, Integer> nodeIndex = new HashMap<>();
    final Map<String, Integer> workloadIndex = new HashMap<>();
    final int[] podNode;
    final int[][] podsByNode;
    final int[][] podsByWorkload;
    final int[][] podsByService;
    final int[][] podsByPdb;
    final int[] podWorkload;
    final int[][] pdbsByPod;
    final int[][] servicesByPod;
    final int[] readyByWorkload;
    final int[] readyByService;
    final int[] readyByPdb;
    final long[] freeCpu;
    final long[] freeMemory;
    final int[] freePods;
    final Map<String, int[]> nodesByZone = new TreeMap<>();
    final int[] apiServerPods;
    /** Node positions by free CPU, most free first: where first-fit looks first. */
    final int[] nodesByFreeCpu;

    ClusterModel(
            List<ModelNode> nodes,
            List<ModelPod> pods,
            List<ModelWorkload> workloads,
            List<ModelService> services,
            List<ModelPdb> pdbs,
            List<ModelEtcdMember> etcdMembers,
            List<ModelProbe> probes,
            boolean autoscalerSeen) {
        this.nodes = List.copyOf(nodes);
        this.pods = List.copyOf(pods);
        this.workloads = List.copyOf(workloads);
        this.services = List.copyOf(services);
        this.pdbs = List.copyOf(pdbs);
        this.etcdMembers = List.copyOf(etcdMembers);
        this.probes = List.copyOf(probes);
        this.autoscalerSeen = autoscalerSeen;
        int n = this.nodes.size();
        for (int i = 0; i < n; i++) {
            nodeIndex.put(this.nodes.get(i).name(), i);
        }
        for (int i = 0; i < this.workloads.size(); i++) {
            workloadIndex.put(this.workloads.get(i).key(), i);
        }
        podNode = new int[this.pods.size()];
        podWorkload = new int[this.pods.size()];
        freeCpu = new long[n];
        freeMemory = new long[n];
        freePods = new int[n];
        for (int i = 0; i < n; i++) {
            freeCpu[i] = this.nodes.get(i).cpuMillis();
            freeMemory[i] = this.nodes.get(i).memoryBytes();
            freePods[i] = this.nodes.get(i).pods();
        }
        List<List<Integer>> byNode = lists(n);
        List<List<Integer>> byWorkload = lists(this.workloads.size());
        List<Integer> apiServers = new ArrayList<>();
        for (int p = 0; p < this.pods.size(); p++) {
            ModelPod pod = this.pods.get(p);
            Integer node = pod.node() == null ? null : nodeIndex.get(pod.node());
            podNode[p] = node == null ? -1 : node;
            if (node != null) {
                byNode.get(node).add(p);
                freeCpu[node] -= pod.cpuMillis();
                freeMemory[node] -= pod.memoryBytes();
                freePods[node] -= 1;
            }
            Integer workload = workloadIndex.get(pod.workload());
            podWorkload[p] = workload == null ? -1 : workload;
            if (workload != null) {
                byWorkload.get(workload).add(p);
            }
            if ("kube-apiserver".equals(pod.component()) && node != null) {
                apiServers.add(p);
            }
        }
        podsByNode = arrays(byNode);
        podsByWorkload = arrays(byWorkload);
        podsByService = new int[this.services.size()][];
        for (int s = 0; s < this.services.size(); s++) {
            ModelService service = this.services.get(s);
            podsByService[s] = matching(service.namespace(), service.selector());
        }
        podsByPdb = new int[this.pdbs.size()][];
        for (int d = 0; d < this.pdbs.size(); d++) {
            ModelPdb pdb = this.pdbs.get(d);
            podsByPdb[d] = matching(pdb.namespace(), pdb.selector());
        }
        pdbsByPod = invert(podsByPdb, this.pods.size());
        servicesByPod = invert(podsByService, this.pods.size());
        readyByWorkload = readyCounts(podsByWorkload);
        readyByService = readyCounts(podsByService);
        readyByPdb = readyCounts(podsByPdb);
        apiServerPods = apiServers.stream().mapToInt(Integer::intValue).toArray();
        Map<String, List<Integer>> zones = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String zone = this.nodes.get(i).zone();
            if (zone != null) {
                zones.computeIfAbsent(zone, z -> new ArrayList<>()).add(i);
            }
        }
        zones.forEach((zone, members) -> nodesByZone.put(
                zone, members.stream().mapToInt(Integer::intValue).toArray()));
        nodesByFreeCpu = java.util.stream.IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingLong((Integer i) -> -freeCpu[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private Map<String, List<Integer>> podsByLabel;

    /**
     * The pods of {@code namespace} that {@code selector} selects, found through a label index. Synchronized:
     * the index is built on first use, and simulators on several threads look up anti-affinity selectors.
     */
    synchronized int[] matching(String namespace, LabelSelection selector) {
        if (selector == null || selector.isEmpty()) {
            return new int[0];
        }
        if (podsByLabel == null) {
            podsByLabel = new HashMap<>();
            for (int p = 0; p < pods.size(); p++) {
                ModelPod pod = pods.get(p);
                podsByLabel
                        .computeIfAbsent(pod.namespace(), k -> new ArrayList<>())
                        .add(p);
                for (Map.Entry<String, String> label : pod.labels().entrySet()) {
                    podsByLabel
                            .computeIfAbsent(
                                    pod.namespace() + "\0" + label.getKey() + "=" + label.getValue(),
                                    k -> new ArrayList<>())
                            .add(p);
                }
            }
        }
        String key = selector.matchLabels().isEmpty()
                ? namespace
                : namespace + "\0"
                        + selector.matchLabels().entrySet().iterator().next().getKey() + "="
                        + selector.matchLabels().entrySet().iterator().next().getValue();
        List<Integer> result = new ArrayList<>();
        for (int p : podsByLabel.getOrDefault(key, List.of())) {
            if (selector.matches(pods.get(p).labels())) {
                result.add(p);
            }
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] readyCounts(int[][] groups) {
        int[] counts = new int[groups.length];
        for (int g = 0; g < groups.length; g++) {
            for (int p : groups[g]) {
                if (pods.get(p).ready() && podNode[p] >= 0) {
                    counts[g]++;
                }
            }
        }
        return counts;
    }

    private static final int[] NONE = new int[0];

    private static int[][] invert(int[][] groups, int size) {
        int[] counts = new int[size];
        for (int[] group : groups) {
            for (int p : group) {
                counts[p]++;
            }
        }
        int[][] result = new int[size][];
        for (int p = 0; p < size; p++) {
            result[p] = counts[p] == 0 ? NONE : new int[counts[p]];
            counts[p] = 0;
        }
        for (int g = 0; g < groups.length; g++) {
            for (int p : groups[g]) {
                result[p][counts[p]++] = g;
            }
        }
        return result;
    }

    private static List<List<Integer>> lists(int size) {
        List<List<Integer>> lists = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lists.add(new ArrayList<>());
        }
        return lists;
    }

    private static int[][] arrays(List<List<Integer>> lists) {
        int[][] result = new int[lists.size()][];
        for (int i = 0; i < lists.size(); i++) {
            result[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    public List<ModelNode> nodes() {
        return nodes;
    }

    public List<ModelPod> pods() {
        return pods;
    }

    public List<ModelWorkload> workloads() {
        return workloads;
    }

    int node(String name) {
        Integer index = nodeIndex.get(name);
        return index == null ? -1 : index;
    }

    String zoneOf(int node) {
        return nodes.get(node).zone();
    }

    /** The value of a topology key on a node: its name for hostname, else the label. */
    String topologyValue(int node, String key) {
        ModelNode n = nodes.get(node);
        if (key == null || key.equals("kubernetes.io/hostname")) {
            return n.name();
        }
        if (key.equals(ModelNode.ZONE) || key.equals(ModelNode.BETA_ZONE)) {
            return n.zone();
        }
        return n.labels().get(key);
    }

    /** Copies of the record lists, for building a changed (prevented) state. */
    Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable lists of the model's records; {@link #build()} indexes them again. */
    static final class Builder {
        final List<ModelNode> nodes;
        final List<ModelPod> pods;
        final List<ModelWorkload> workloads;
        final List<ModelService> services;
        final List<ModelPdb> pdbs;
        final List<ModelEtcdMember> etcdMembers;
        final List<ModelProbe> probes;
        boolean autoscalerSeen;

        Builder(ClusterModel model) {
            nodes = new ArrayList<>(model.nodes);
            pods = new ArrayList<>(model.pods);
            workloads = new ArrayList<>(model.workloads);
            services = new ArrayList<>(model.services);
            pdbs = new ArrayList<>(model.pdbs);
            etcdMembers = new ArrayList<>(model.etcdMembers);
            probes = new ArrayList<>(model.probes);
            autoscalerSeen = model.autoscalerSeen;
        }

        ClusterModel build() {
            return new ClusterModel(nodes, pods, workloads, services, pdbs, etcdMembers, probes, autoscalerSeen);
        }
    }

    @Override
    public String toString() {
        return "ClusterModel(" + nodes.size() + " nodes, " + pods.size() + " pods, " + workloads.size()
                + " workloads, zones " + Arrays.toString(nodesByZone.keySet().toArray()) + ")";
    }
}
