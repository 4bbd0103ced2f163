package dev.remedy.benchmark;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded snapshots of realistic shape: zoned nodes with allocatable, Deployments with ReplicaSets and Pods
 * (requests, owner references, some spread by required anti-affinity), Services, PodDisruptionBudgets, DaemonSets (kube-proxy and two CNI plugins), a 3- or
 * 5-member etcd with one unhealthy member, and injected failures: a stray second CNI config on 40% of nodes,
 * a duplicate kube-apiserver manifest, OOM nodes, an etcd liveness probe tighter than the measured latency,
 * and kubelet version skew on 40% of workers (the load the current knowledge base plans for).
 */
public final class ClusterGenerator {

    static final String VERSION = "v1.29.4";
    static final String SKEWED = "v1.28.9";
    public static final String NOW = "2026-03-01T12:00:00Z";
    private static final String CREATED = "2025-12-01T00:00:00Z";

    /** What to generate. {@code skewFraction} of the workers run another kubelet version than their peers. */
    public record Spec(int nodes, int podsPerNode, double skewFraction, long seed) {
        public static Spec ofSize(int nodes, long seed) {
            return new Spec(nodes, 30, 0.4, seed);
        }
    }

    /** The generated objects and host facts, as a snapshot would hold them. */
    public record Cluster(List<HasMetadata> objects, List<NodeFacts> nodeFacts, EtcdFacts etcd) {
        public Snapshot snapshot(String fingerprint) {
            return new Snapshot(
                    "generated", fingerprint, objects, nodeFacts, Optional.of(etcd), Optional.empty(), List.of());
        }

        public long pods() {
            return objects.stream().filter(o -> o instanceof Pod).count();
        }
    }

    public static Cluster generate(Spec spec) {
        Random random = new Random(spec.seed());
        List<HasMetadata> objects = new ArrayList<>();
        List<NodeFacts> nodeFacts = new ArrayList<>();
        int controlPlanes = spec.nodes() >= 1000 ? 5 : 3;
        int workers = Math.max(1, spec.nodes() - controlPlanes);
        String[] zones = {"zone-a", "zone-b", "zone-c"};
        List<String> workerNames = new ArrayList<>();
        List<EtcdFacts.Member> members = new ArrayList<>();
        int unhealthy = 1 + random.nextInt(controlPlanes);
        for (int i = 1; i <= controlPlanes + workers; i++) {
            boolean controlPlane = i <= controlPlanes;
            String name = controlPlane ? String.format("cp-%d", i) : String.format("worker-%05d", i - controlPlanes);
            String ip = "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
            boolean skewed = !controlPlane && random.nextDouble() < spec.skewFraction();
            boolean oom = !controlPlane && random.nextDouble() < 0.01;
            objects.add(node(name, ip, zones[i % 3], controlPlane, skewed ? SKEWED : VERSION, oom));
            List<NodeFacts.HostFile> files = new ArrayList<>();
            files.add(new NodeFacts.HostFile("/etc/cni/net.d/10-calico.conflist", "{\"name\":\"k8s-pod-network\"}"));
            if (random.nextDouble() < 0.4) {
                files.add(new NodeFacts.HostFile(
                        "/etc/cni/net.d/10-weave.conf", "{\"name\":\"weave\",\"type\":\"weave-net\"}"));
            }
            if (controlPlane) {
                files.add(new NodeFacts.HostFile("/etc/kubernetes/manifests/etcd.yaml", etcdManifest(ip)));
                files.add(new NodeFacts.HostFile(
                        "/etc/kubernetes/manifests/kube-apiserver.yaml", "metadata:\n  name: kube-apiserver\n"));
                if (i == 1) {
                    files.add(new NodeFacts.HostFile(
                            "/etc/kubernetes/manifests/kube-apiserver-kubespray.yaml",
                            "metadata:\n  name: kube-apiserver\n"));
                }
                boolean healthy = i != unhealthy;
                members.add(new EtcdFacts.Member(
                        name,
                        Integer.toHexString(0x1000 + i),
                        "https://" + ip + ":2379",
                        "https://" + ip + ":2380",
                        healthy,
                        i == (unhealthy == 1 ? 2 : 1),
                        false,
                        "3.5.9",
                        healthy ? 16_500.0 : null,
                        12.0,
                        2_000_000_000L,
                        healthy ? null : "context deadline exceeded"));
                objects.add(staticPod("etcd", name, "registry.k8s.io/etcd:3.5.9-0", true));
                objects.add(staticPod("kube-apiserver", name, "registry.k8s.io/kube-apiserver:" + VERSION, false));
            } else {
                workerNames.add(name);
            }
            nodeFacts.add(new NodeFacts(
                    "remedy.dev/v1alpha1",
                    NodeFacts.KIND,
                    FactsMetadata.named(name),
                    files,
                    new NodeFacts.Kubelet(skewed ? SKEWED : VERSION, List.of(), Map.of()),
                    Map.of()));
        }
        for (String daemonSet : List.of("kube-proxy", "calico-node", "weave-net")) {
            objects.add(daemonSet(daemonSet, !daemonSet.equals("kube-proxy")));
            for (int i = 1; i <= controlPlanes + workers; i++) {
                String node = i <= controlPlanes ? "cp-" + i : workerNames.get(i - controlPlanes - 1);
                objects.add(pod(
                        "kube-system",
                        daemonSet + "-" + node,
                        Map.of("app", daemonSet),
                        node,
                        "50m",
                        "64Mi",
                        owner("DaemonSet", daemonSet)));
            }
        }
        int podsToPlace = Math.max(1, workers * (spec.podsPerNode() - 3));
        int deployment = 0;
        while (podsToPlace > 0) {
            deployment++;
            int replicas = Math.min(podsToPlace, 4 + random.nextInt(37));
            podsToPlace -= replicas;
            String namespace = String.format("team-%02d", deployment % 50);
            String app = String.format("app-%05d", deployment);
            String hash = Integer.toHexString(0x10000 + random.nextInt(0xEFFFF));
            String cpu = (100 + 50 * random.nextInt(8)) + "m";
            String memory = (128 * (1 + random.nextInt(8))) + "Mi";
            Map<String, String> labels = Map.of("app", app);
            objects.add(new DeploymentBuilder()
                    .withNewMetadata()
                    .withNamespace(namespace)
                    .withName(app)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector()
                    .withMatchLabels(labels)
                    .endSelector()
                    .endSpec()
                    .build());
            objects.add(new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withNamespace(namespace)
                    .withName(app + "-" + hash)
                    .withLabels(labels)
                    .withOwnerReferences(owner("Deployment", app))
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .endSpec()
                    .build());
            if (random.nextBoolean()) {
                objects.add(new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(app)
                        .endMetadata()
                        .withNewSpec()
                        .withMinAvailable(new IntOrString("50%"))
                        .withNewSelector()
                        .withMatchLabels(labels)
                        .endSelector()
                        .endSpec()
                        .build());
            }
            if (deployment % 5 != 0) {
                objects.add(service(namespace, app, labels));
            }
            int start = random.nextInt(workerNames.size());
            int stride = 1 + random.nextInt(Math.max(1, workerNames.size() / Math.max(1, replicas)));
            List<String> nodes = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                nodes.add(workerNames.get((start + r * stride) % workerNames.size()));
            }
            // Every seventh workload spreads its replicas one per node, as a required anti-affinity, where its
            // placement already does.
            boolean spread = deployment % 7 == 0 && nodes.stream().distinct().count() == nodes.size();
            for (int r = 0; r < replicas; r++) {
                Pod pod = pod(
                        namespace,
                        app + "-" + hash + "-" + Integer.toString(36 * 36 * 36 + r, 36),
                        new TreeMap<>(Map.of("app", app, "pod-template-hash", hash)),
                        nodes.get(r),
                        cpu,
                        memory,
                        owner("ReplicaSet", app + "-" + hash));
                if (spread) {
                    pod.getSpec().setAffinity(antiAffinity(labels));
                }
                objects.add(pod);
            }
        }
        EtcdFacts etcd = new EtcdFacts("remedy.dev/v1alpha1", EtcdFacts.KIND, FactsMetadata.named("etcd"), members);
        return new Cluster(objects, nodeFacts, etcd);
    }

    /**
     * The cluster of {@code size} nodes (seed 42) as a snapshot directory under the temp directory, generated and
     * written on the first call only, for the phase benchmarks that are run again and again. It is written beside
     * its place and then moved there, so that an interrupted write never passes for a whole snapshot.
     */
    public static Path writtenOnce(int size) {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), "remedy-benchmark-clusters", "cluster-" + size);
        if (Files.isDirectory(directory)) {
            return directory;
        }
        try {
            Files.createDirectories(directory.getParent());
            Path partial = Files.createTempDirectory(directory.getParent(), "partial-");
            write(generate(Spec.ofSize(size, 42)), partial);
            Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the cluster as a snapshot directory: JSON lists of objects, YAML host and etcd facts. */
    public static void write(Cluster cluster, Path directory) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        try {
            Files.createDirectories(directory);
            Map<String, List<HasMetadata>> byKind = new LinkedHashMap<>();
            cluster.objects().forEach(o -> byKind.computeIfAbsent(o.getKind(), k -> new ArrayList<>())
                    .add(o));
            for (Map.Entry<String, List<HasMetadata>> kind : byKind.entrySet()) {
                List<HasMetadata> objects = kind.getValue();
                for (int chunk = 0; chunk * 10_000 < objects.size(); chunk++) {
                    List<HasMetadata> part =
                            objects.subList(chunk * 10_000, Math.min(objects.size(), (chunk + 1) * 10_000));
                    Map<String, Object> list = new LinkedHashMap<>();
                    list.put("apiVersion", "v1");
                    list.put("kind", "List");
                    list.put("items", part);
                    Files.writeString(
                            directory.resolve(
                                    String.format("%s-%03d.json", kind.getKey().toLowerCase(), chunk)),
                            serialization.asJson(list));
                }
            }
            StringBuilder hosts = new StringBuilder();
            for (NodeFacts facts : cluster.nodeFacts()) {
                hosts.append("---\n").append(serialization.asYaml(facts).replaceFirst("^---\n", ""));
            }
            Files.writeString(directory.resolve("nodefacts.yaml"), hosts);
            Files.writeString(directory.resolve("etcd.yaml"), serialization.asYaml(cluster.etcd()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Node node(String name, String ip, String zone, boolean controlPlane, String kubelet, boolean oom) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        labels.put("topology.kubernetes.io/zone", zone);
        if (controlPlane) {
            labels.put("node-role.kubernetes.io/control-plane", "");
        }
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withCreationTimestamp(CREATED)
                .endMetadata()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(ip)
                .endAddress()
                .withAllocatable(new TreeMap<>(
                        Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"), "pods", new Quantity("110"))))
                .addNewCondition()
                .withType("Ready")
                .withStatus(oom ? "False" : "True")
                .endCondition()
                .addNewCondition()
                .withType("MemoryPressure")
                .withStatus(oom ? "True" : "False")
                .endCondition()
                .withNewNodeInfo()
                .withKubeletVersion(kubelet)
                .endNodeInfo()
                .endStatus()
                .build();
    }

    private static Pod pod(
            String namespace,
            String name,
            Map<String, String> labels,
            String node,
            String cpu,
            String memory,
            OwnerReference owner) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(labels)
                .withCreationTimestamp(CREATED)
                .withOwnerReferences(owner)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withContainers(new ContainerBuilder()
                        .withName("main")
                        .withImage("registry.example/" + labels.get("app") + ":1.0")
                        .withNewResources()
                        .withRequests(new TreeMap<>(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory))))
                        .endResources()
                        .build())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    private static Service service(String namespace, String name, Map<String, String> selector) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withCreationTimestamp(CREATED)
                .endMetadata()
                .withNewSpec()
                .withSelector(selector)
                .addNewPort()
                .withPort(80)
                .withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec()
                .build();
    }

    private static Affinity antiAffinity(Map<String, String> labels) {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector()
                .withMatchLabels(labels)
                .endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    private static Pod staticPod(String component, String node, String image, boolean etcd) {
        ContainerBuilder container = new ContainerBuilder().withName(component).withImage(image);
        if (etcd) {
            container
                    .withCommand("etcd", "--advertise-client-urls=https://127.0.0.1:2379")
                    .withNewLivenessProbe()
                    .withNewExec()
                    .withCommand("/bin/sh", "-ec", "ETCDCTL_API=3 etcdctl get foo")
                    .endExec()
                    .withFailureThreshold(8)
                    .withInitialDelaySeconds(15)
                    .withTimeoutSeconds(15)
                    .endLivenessProbe();
        }
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName(component + "-" + node)
                .withLabels(new TreeMap<>(Map.of("component", component, "tier", "control-plane")))
                .withAnnotations(Map.of("kubernetes.io/config.mirror", "generated-" + component))
                .withCreationTimestamp(CREATED)
                .withOwnerReferences(owner("Node", node))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withContainers(container.build())
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewContainerStatus()
                .withName(component)
                .withReady(true)
                .withRestartCount(etcd ? 183 : 0)
                .endContainerStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    private static String etcdManifest(String ip) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: etcd
                  namespace: kube-system
                spec:
                  containers:
                  - name: etcd
                    command: [etcd, --advertise-client-urls=https://%s:2379]
                    livenessProbe:
                      exec:
                        command: [/bin/sh, -ec, ETCDCTL_API=3 etcdctl get foo]
                      failureThreshold: 8
                      initialDelaySeconds: 15
                      timeoutSeconds: 15
                """.formatted(ip);
    }

    private static io.fabric8.kubernetes.api.model.apps.DaemonSet daemonSet(String name, boolean cni) {
        DaemonSetBuilder builder = new DaemonSetBuilder()
                .withNewMetadata()
                .withNamespace("kube-system")
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder()
                        .withName(name)
                        .withImage("registry.example/" + name + ":1")
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec();
        if (cni) {
            builder.editSpec()
                    .editTemplate()
                    .editSpec()
                    .addNewVolume()
                    .withName("cni-net-dir")
                    .withNewHostPath()
                    .withPath("/etc/cni/net.d")
                    .endHostPath()
                    .endVolume()
                    .endSpec()
                    .endTemplate()
                    .endSpec();
        }
        return builder.build();
    }

    private static OwnerReference owner(String kind, String name) {
        return new OwnerReferenceBuilder()
                .withApiVersion(kind.equals("Node") ? "v1" : "apps/v1")
                .withKind(kind)
                .withName(name)
                .withUid(kind + "-" + name)
                .withController(true)
                .build();
    }
}
