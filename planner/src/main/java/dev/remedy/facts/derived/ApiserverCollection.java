package dev.remedy.facts.derived;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.Versions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code apiservers}: every kube-apiserver on a node (its mirror pod in kube-system) with the flags it runs with, read
 * from its static manifest on the node when collected (what the kubelet really starts), else from the pod:
 * the etcd members it reads from and whether those reads are quorum reads, {@code --apiserver-count} against
 * the apiservers running, the endpoint reconciler, and the exact manifest edits that change them.
 */
public final class ApiserverCollection implements FactCollection {

    private static final String MANIFESTS = "/etc/kubernetes/manifests";

    @Override
    public String name() {
        return "apiservers";
    }

    @Override
    public String description() {
        return "a kube-apiserver with its flags (etcd servers, quorum reads, apiserver-count, endpoint reconciler)"
                + " and its manifest";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        // The index lists kube-system's pods (15,000 at 5,000 nodes) by name already, so the few apiservers come out
        // in that order without a sort.
        List<Pod> apiservers = context.podIndex().inNamespace("kube-system").stream()
                .map(PodCollection.Keyed::pod)
                // A manifest read as a pod, never scheduled, is not a running apiserver.
                .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
                .filter(p -> apiserverContainer(p.getSpec().getContainers()).isPresent())
                .toList();
        long running = apiservers.stream()
                .filter(p ->
                        p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .count();
        List<Map<String, Object>> result = new ArrayList<>();
        for (Pod pod : apiservers) {
            result.add(apiserver(snapshot, pod, running, context));
        }
        return result;
    }

    private static Map<String, Object> apiserver(Snapshot snapshot, Pod pod, long running, FactContext context) {
        String node = pod.getSpec().getNodeName();
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("ref", Facts.ref("Pod", "kube-system", pod.getMetadata().getName(), node));
        fact.put("name", pod.getMetadata().getName());
        fact.put("node", node);
        Container fromPod = apiserverContainer(pod.getSpec().getContainers()).orElseThrow();
        Optional<NodeFacts.HostFile> manifestFile = manifest(snapshot, node);
        Optional<Container> declared = manifestFile.flatMap(ApiserverCollection::declaredContainer);
        Container container = declared.orElse(fromPod);
        fact.put("source", declared.isPresent() ? "manifest" : "pod");
        manifestFile.ifPresent(file -> {
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("path", file.path());
            manifest.put("sha256", Facts.sha256(file.content()));
            fact.put("manifest", manifest);
        });
        fact.put("image", container.getImage());
        Optional<Versions> version = Versions.imageTag(container.getImage()).flatMap(Versions::parse);
        version.ifPresent(v -> {
            fact.put("version", v.toString());
            fact.put("minor", v.minor());
        });
        CommandFlags flags = CommandFlags.of(container);
        fact.put("flags", flags.values());
        String etcdServers = flags.values().getOrDefault("--etcd-servers", "");
        int servers = etcdServers.isBlank() ? 0 : etcdServers.split(",").length;
        fact.put("etcdServerCount", servers);
        Object members = context.cluster().get("etcd") instanceof Map<?, ?> etcd ? etcd.get("members") : null;
        fact.put("etcdMembers", Math.max(servers, members instanceof Number n ? n.intValue() : 0));
        if (flags.values().containsKey("--etcd-quorum-read")) {
            fact.put("etcdQuorumRead", flags.values().get("--etcd-quorum-read"));
        }
        version.ifPresent(v -> fact.put(
                "quorumReads",
                v.minor() >= 9
                        ? !"false".equals(flags.values().get("--etcd-quorum-read"))
                        : "true".equals(flags.values().get("--etcd-quorum-read"))));
        fact.put("quorumReadEdit", flags.edit("--etcd-quorum-read", "true"));
        fact.put("runningApiservers", running);
        String count = flags.values().get("--apiserver-count");
        fact.put("apiserverCount", count == null ? 1 : parseInt(count).orElse(1));
        fact.put("apiserverCountSet", count != null);
        version.ifPresent(v -> fact.put(
                "endpointReconcilerType",
                flags.values().getOrDefault("--endpoint-reconciler-type", v.minor() >= 11 ? "lease" : "master-count")));
        fact.put("reconcilerEdit", flags.edit("--endpoint-reconciler-type", "lease"));
        fact.put("apiserverCountEdit", flags.edit("--apiserver-count", Long.toString(running)));
        manifestEdits(
                fact,
                flags,
                version.orElse(null),
                count == null ? 1 : parseInt(count).orElse(1),
                running);
        return fact;
    }

    /**
     * Every change the knowledge base asks of this apiserver's manifest, as one list of edits: quorum reads on
     * before 1.9 with several etcd members (apiserver-stale-reads), and the lease reconciler, or before 1.9 the
     * right --apiserver-count, when the count is wrong (apiserver-count-mismatch). Both scenarios edit with
     * this list, so the manifest is edited once, the apiserver restarts once, and the planner makes one action
     * of the two findings' identical edits; the conditions here mirror the scenarios' own.
     */
    private static void manifestEdits(
            Map<String, Object> fact, CommandFlags flags, Versions version, int apiserverCount, long running) {
        List<Map<String, Object>> edits = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        if (version == null) {
            return;
        }
        if (version.minor() < 9
                && ((Number) fact.get("etcdMembers")).intValue() > 1
                && Boolean.FALSE.equals(fact.get("quorumReads"))) {
            edits.add(flags.edit("--etcd-quorum-read", "true"));
            fixes.add("--etcd-quorum-read=true");
        }
        if (!"lease".equals(fact.get("endpointReconcilerType")) && apiserverCount != running) {
            if (version.minor() >= 9) {
                edits.add(flags.edit("--endpoint-reconciler-type", "lease"));
                fixes.add("--endpoint-reconciler-type=lease");
            } else {
                edits.add(flags.edit("--apiserver-count", Long.toString(running)));
                fixes.add("--apiserver-count=" + running);
            }
        }
        fact.put("manifestEdits", edits);
        fact.put("manifestFixes", fixes);
    }

    /** The apiserver among a pod's containers; a loop, not a stream, as it is asked of every kube-system pod. */
    private static Optional<Container> apiserverContainer(List<Container> containers) {
        for (Container c : containers) {
            if (c.getName().equals("kube-apiserver")
                    || (c.getCommand() != null
                            && c.getCommand().size() >= 2
                            && c.getCommand().get(0).endsWith("hyperkube")
                            && c.getCommand().get(1).equals("apiserver"))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static Optional<NodeFacts.HostFile> manifest(Snapshot snapshot, String node) {
        if (node == null) {
            return Optional.empty();
        }
        return snapshot.nodeFacts(node).flatMap(facts -> facts.filesIn(MANIFESTS).stream()
                .filter(f -> declaredContainer(f).isPresent())
                .findFirst());
    }

    private static Optional<Container> declaredContainer(NodeFacts.HostFile file) {
        Optional<JsonNode> tree = Facts.parseYaml(file.content());
        if (tree.isEmpty()) {
            return Optional.empty();
        }
        try {
            Pod pod = Facts.YAML.treeToValue(tree.get(), Pod.class);
            return pod.getSpec() == null
                    ? Optional.empty()
                    : apiserverContainer(pod.getSpec().getContainers());
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> parseInt(String text) {
        try {
            return Optional.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
