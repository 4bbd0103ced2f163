package dev.remedy.facts.derived;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code controlPlaneManifests}: per node and component, the static pod manifests that start it, and which one
 * matches the running mirror pod (same image and command line). Every other file is a duplicate the kubelet also
 * runs: kubespray's default {@code .manifest} files beside kubeadm's {@code .yaml}, or a {@code .bak} copy.
 */
public final class ControlPlaneManifestCollection implements FactCollection {

    /** Where duplicates are moved: outside the directory the kubelet reads, so they stop running. */
    static final String MOVE_TO = "/etc/kubernetes/manifests.disabled/";

    @Override
    public String name() {
        return "controlPlaneManifests";
    }

    @Override
    public String description() {
        return "a static pod component on a node with every manifest file that starts it and which one matches"
                + " the running mirror pod";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<Map<String, Object>> result = new ArrayList<>();
        for (NodeFacts facts : snapshot.nodeFacts().values()) {
            Map<String, List<Manifests.Manifest>> byComponent = new TreeMap<>();
            Manifests.on(facts).forEach(m -> byComponent
                    .computeIfAbsent(m.component(), c -> new ArrayList<>())
                    .add(m));
            byComponent.forEach(
                    (component, manifests) -> result.add(item(context.pods(), facts.nodeName(), component, manifests)));
        }
        return result;
    }

    private static Map<String, Object> item(
            List<Pod> pods, String node, String component, List<Manifests.Manifest> manifests) {
        List<Map<String, Object>> files = new ArrayList<>();
        List<Manifests.Manifest> matching = new ArrayList<>();
        Optional<Pod> anyMirror = Optional.empty();
        for (Manifests.Manifest manifest : manifests) {
            Optional<Pod> mirror = mirrorPod(pods, manifest.podName() + "-" + node);
            anyMirror = anyMirror.or(() -> mirror);
            boolean matches =
                    mirror.map(p -> sameContainer(manifest.firstContainer(), p)).orElse(false);
            if (matches) {
                matching.add(manifest);
            }
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", manifest.file().path());
            file.put("name", manifest.file().name());
            file.put("sha256", manifest.sha256());
            file.put("image", manifest.firstContainer().getImage());
            file.put("matchesRunning", matches);
            files.add(file);
        }
        Optional<Manifests.Manifest> keep = matching.stream()
                .filter(m -> m.file().name().equals(m.podName() + ".yaml"))
                .findFirst()
                .or(() -> matching.stream().findFirst());
        String podName =
                keep.map(Manifests.Manifest::podName).orElse(manifests.get(0).podName());
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("ref", Facts.ref("Pod", "kube-system", podName + "-" + node, node));
        fact.put("node", node);
        fact.put("component", component);
        fact.put("count", manifests.size());
        fact.put("files", files);
        fact.put("runningFound", anyMirror.isPresent());
        mirrorPod(pods, podName + "-" + node)
                .map(p -> Facts.containerStatus(
                        p, p.getSpec().getContainers().get(0).getName()))
                .filter(status -> status.getRestartCount() != null)
                .ifPresent(status -> fact.put("restartCount", status.getRestartCount()));
        keep.ifPresent(k -> {
            fact.put("keep", files.get(manifests.indexOf(k)));
            Map<String, String> kept =
                    Flags.parse(Manifests.commandLine(k.firstContainer())).asMap();
            List<Map<String, Object>> duplicates = new ArrayList<>();
            for (int i = 0; i < manifests.size(); i++) {
                Manifests.Manifest other = manifests.get(i);
                if (other == k) {
                    continue;
                }
                Map<String, Object> duplicate = new LinkedHashMap<>(files.get(i));
                duplicate.put("moveTo", MOVE_TO + other.file().name());
                duplicate.put(
                        "differences",
                        differences(
                                kept,
                                Flags.parse(Manifests.commandLine(other.firstContainer()))
                                        .asMap(),
                                k,
                                other));
                duplicates.add(duplicate);
            }
            fact.put("duplicates", duplicates);
        });
        return fact;
    }

    /** What the duplicate would change if it won: each flag and the image that differ from the running one. */
    private static List<String> differences(
            Map<String, String> kept, Map<String, String> other, Manifests.Manifest keep, Manifests.Manifest dup) {
        List<String> differences = new ArrayList<>();
        if (!Objects.equals(
                keep.firstContainer().getImage(), dup.firstContainer().getImage())) {
            differences.add("image " + dup.firstContainer().getImage() + " (running: "
                    + keep.firstContainer().getImage() + ")");
        }
        other.forEach((flag, value) -> {
            if (!kept.containsKey(flag)) {
                differences.add("--" + flag + "=" + value + " (running: not set)");
            } else if (!kept.get(flag).equals(value)) {
                differences.add("--" + flag + "=" + value + " (running: " + kept.get(flag) + ")");
            }
        });
        kept.forEach((flag, value) -> {
            if (!other.containsKey(flag)) {
                differences.add("--" + flag + " not set (running: " + value + ")");
            }
        });
        return differences;
    }

    private static boolean sameContainer(Container declared, Pod mirror) {
        if (mirror.getSpec() == null) {
            return false;
        }
        return mirror.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(declared.getName()))
                .anyMatch(c -> Objects.equals(c.getImage(), declared.getImage())
                        && Manifests.commandLine(c).equals(Manifests.commandLine(declared)));
    }

    private static Optional<Pod> mirrorPod(List<Pod> pods, String name) {
        return pods.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    }
}
