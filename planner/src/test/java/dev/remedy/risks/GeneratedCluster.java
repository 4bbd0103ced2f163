package dev.remedy.risks;

import dev.remedy.facts.EtcdFacts;
import dev.remedy.facts.FactsMetadata;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A seeded synthetic cluster for the risk benchmark: 3 control-plane nodes (stacked etcd and API server) in 3
 * zones, workers of 16 CPU / 64 GiB in 3 zones filled to about 60 % of their requests with ~30 pods each,
 * Deployments of 1 to 12 replicas (some with hostname anti-affinity, most behind a Service, some with a PDB),
 * and one DaemonSet pod per worker. Same size and seed, same cluster.
 */
final class GeneratedCluster {

    private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};

    private GeneratedCluster() {}

    static Snapshot snapshot(int workers, long seed) {
        Random random = new Random(seed);
        List<HasMetadata> objects = new ArrayList<>();
        List<EtcdFacts.Member> members = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            String name = "cp-" + c;
            objects.add(node(name, ZONES[c], true, "10.0.0." + (c + 1)));
            members.add(new EtcdFacts.Member(
                    name,
                    Integer.toHexString(c + 1),
                    "https://10.0.0." + (c + 1) + ":2379",
                    null,
                    true,
                    c == 0,
                    false,
                    "3.5.9",
                    3.0,
                    2.0,
                    1L << 26,
                    null));
            for (String component : List.of("etcd", "kube-apiserver")) {
                objects.add(new PodBuilder()
                        .withNewMetadata()
                        .withName(component + "-" + name)
                        .withNamespace("kube-system")
                        .withLabels(Map.of("component", component))
                        .withAnnotations(Map.of("kubernetes.io/config.mirror", "x"))
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(name)
                        .addNewContainer()
                        .withName(component)
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build());
            }
        }
        long[] freeCpu = new long[workers];
        for (int n = 0; n < workers; n++) {
            objects.add(node(worker(n), ZONES[n % 3], false, null));
            freeCpu[n] = 16_000 * 6 / 10;
            objects.add(pod(
                    "kube-system",
                    "node-agent-" + n,
                    worker(n),
                    "DaemonSet",
                    "node-agent",
                    100,
                    Map.of("app", "node-agent"),
                    false));
            freeCpu[n] -= 100;
        }
        int deployment = 0;
        long totalFree = (long) workers * (16_000 * 6 / 10 - 100);
        while (totalFree > 4_000) {
            String name = "app-" + deployment++;
            String namespace = "team-" + (deployment % 50);
            int replicas = 1 + random.nextInt(12);
            long cpu = 100L * (1 + random.nextInt(6));
            boolean antiAffinity = random.nextInt(5) == 0;
            Map<String, String> labels = Map.of("app", name);
            objects.add(new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withResourceVersion("1")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withSelector(
                            new LabelSelectorBuilder().withMatchLabels(labels).build())
                    .endSpec()
                    .build());
            objects.add(new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(name + "-rs")
                    .withNamespace(namespace)
                    .addNewOwnerReference()
                    .withKind("Deployment")
                    .withName(name)
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(replicas)
                    .withSelector(
                            new LabelSelectorBuilder().withMatchLabels(labels).build())
                    .endSpec()
                    .build());
            if (random.nextInt(4) != 0) {
                objects.add(new ServiceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(labels)
                        .endSpec()
                        .build());
            }
            if (replicas > 2 && random.nextInt(3) == 0) {
                objects.add(new PodDisruptionBudgetBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewSpec()
                        .withMaxUnavailable(new IntOrString(1))
                        .withSelector(new LabelSelectorBuilder()
                                .withMatchLabels(labels)
                                .build())
                        .endSpec()
                        .build());
            }
            int start = random.nextInt(workers);
            for (int r = 0; r < replicas; r++) {
                int node = -1;
                for (int k = 0; k < workers; k++) {
                    int candidate = (start + r * (antiAffinity ? 1 : 1 + random.nextInt(3)) + k) % workers;
                    if (freeCpu[candidate] >= cpu) {
                        node = candidate;
                        break;
                    }
                }
                if (node < 0) {
                    break;
                }
                freeCpu[node] -= cpu;
                totalFree -= cpu;
                objects.add(pod(
                        namespace,
                        name + "-rs-" + r,
                        worker(node),
                        "ReplicaSet",
                        name + "-rs",
                        cpu,
                        labels,
                        antiAffinity));
            }
        }
        return new Snapshot(
                "generated/" + workers + "-nodes-seed-" + seed,
                "generated-" + workers + "-" + seed,
                objects,
                List.of(),
                Optional.of(new EtcdFacts(
                        "remedy.dev/v1alpha1", EtcdFacts.KIND, new FactsMetadata("etcd", null, null), members)),
                Optional.empty(),
                List.of());
    }

    private static String worker(int n) {
        return String.format("worker-%05d", n);
    }

    private static Node node(String name, String zone, boolean controlPlane, String address) {
        NodeBuilder builder = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("topology.kubernetes.io/zone", zone)
                .endMetadata();
        if (controlPlane) {
            builder.editMetadata()
                    .addToLabels("node-role.kubernetes.io/control-plane", "")
                    .endMetadata()
                    .withNewSpec()
                    .addNewTaint()
                    .withKey("node-role.kubernetes.io/control-plane")
                    .withEffect("NoSchedule")
                    .endTaint()
                    .endSpec();
        }
        var status = builder.withNewStatus()
                .addToAllocatable("cpu", new Quantity(controlPlane ? "4" : "16"))
                .addToAllocatable("memory", new Quantity(controlPlane ? "16Gi" : "64Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition();
        if (address != null) {
            status.addNewAddress().withType("InternalIP").withAddress(address).endAddress();
        }
        return status.endStatus().build();
    }

    private static Pod pod(
            String namespace,
            String name,
            String node,
            String ownerKind,
            String owner,
            long cpuMillis,
            Map<String, String> labels,
            boolean antiAffinity) {
        PodBuilder builder = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .addNewOwnerReference()
                .withKind(ownerKind)
                .withName(owner)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("main")
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpuMillis + "m"))
                .addToRequests("memory", new Quantity(cpuMillis * 4 + "Mi"))
                .endResources()
                .endContainer()
                .endSpec();
        if (antiAffinity) {
            builder.editSpec()
                    .withNewAffinity()
                    .withNewPodAntiAffinity()
                    .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withTopologyKey("kubernetes.io/hostname")
                    .withLabelSelector(
                            new LabelSelectorBuilder().withMatchLabels(labels).build())
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endPodAntiAffinity()
                    .endAffinity()
                    .endSpec();
        }
        return builder.withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }
}
