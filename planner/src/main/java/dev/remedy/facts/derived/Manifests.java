package dev.remedy.facts.derived;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remedy.facts.NodeFacts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The static pod manifests collected from one node's /etc/kubernetes/manifests. The kubelet runs every file in
 * that directory whatever its extension (only names starting with a dot are skipped), so a {@code .bak} or a
 * {@code .manifest} copy beside the {@code .yaml} is a second running pod, not a backup.
 */
public final class Manifests {

    public static final String DIRECTORY = "/etc/kubernetes/manifests";

    private Manifests() {}

    /** One manifest file the kubelet runs: its path, content hash, pod, and the component it starts. */
    public record Manifest(NodeFacts.HostFile file, String sha256, Pod pod, String component) {

        public String podName() {
            return pod.getMetadata() == null ? null : pod.getMetadata().getName();
        }

        public Optional<Container> container(String name) {
            return pod.getSpec().getContainers().stream()
                    .filter(c -> name.equals(c.getName()))
                    .findFirst();
        }

        public Container firstContainer() {
            return pod.getSpec().getContainers().get(0);
        }
    }

    /** The manifests the kubelet on {@code facts}' node runs, sorted by path; unparseable files are left out. */
    public static List<Manifest> on(NodeFacts facts) {
        List<Manifest> manifests = new ArrayList<>();
        for (NodeFacts.HostFile file : facts.filesIn(DIRECTORY)) {
            if (file.name().startsWith(".")) {
                continue;
            }
            Optional<JsonNode> tree = Facts.parseYaml(file.content());
            if (tree.isEmpty() || !"Pod".equals(tree.get().path("kind").asText())) {
                continue;
            }
            try {
                Pod pod = Facts.YAML.treeToValue(tree.get(), Pod.class);
                if (pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()) {
                    continue;
                }
                manifests.add(new Manifest(file, Facts.sha256(file.content()), pod, component(pod)));
            } catch (IOException | IllegalArgumentException e) {
                // Not a pod the kubelet could run either.
            }
        }
        return manifests;
    }

    /** kubeadm labels its pods {@code component}, kubespray {@code k8s-app}; else the first container's name. */
    static String component(Pod pod) {
        Map<String, String> labels =
                pod.getMetadata() == null || pod.getMetadata().getLabels() == null
                        ? Map.of()
                        : pod.getMetadata().getLabels();
        return labels.getOrDefault(
                "component",
                labels.getOrDefault(
                        "k8s-app", pod.getSpec().getContainers().get(0).getName()));
    }

    /** The full command line of a container: command then args. */
    public static List<String> commandLine(Container container) {
        List<String> line = new ArrayList<>();
        if (container.getCommand() != null) {
            line.addAll(container.getCommand());
        }
        if (container.getArgs() != null) {
            line.addAll(container.getArgs());
        }
        return line;
    }
}
