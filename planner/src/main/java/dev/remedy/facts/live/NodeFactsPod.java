package dev.remedy.facts.live;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The short-lived pod that reads one node's host facts: pinned to the node, tolerating every taint (control
 * plane included), no service-account token, each host path mounted read-only on its own (never a parent that
 * holds keys or kubeconfigs), and a deadline after which the kubelet stops it.
 */
public final class NodeFactsPod {

    /** The host paths the script reads, each mounted read-only at the same path under /host. */
    public static final List<HostMount> MOUNTS = List.of(
            new HostMount("cni", "/etc/cni/net.d", "Directory"),
            new HostMount("manifests", "/etc/kubernetes/manifests", "Directory"),
            new HostMount("pki", "/etc/kubernetes/pki", "Directory"),
            new HostMount("kubelet-config", "/var/lib/kubelet/config.yaml", "File"),
            new HostMount("logs", "/var/log", "Directory"));

    public static final String RUN_LABEL = "remedy.dev/run";
    public static final String ROLE_LABEL = "app.kubernetes.io/component";
    public static final String ROLE = "node-facts";

    private NodeFactsPod() {}

    /** One host path mounted into the pod. */
    public record HostMount(String volume, String path, String type) {}

    public static String name(String runId, String node) {
        String name =
                ("remedy-facts-" + runId + "-" + node).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return name.replaceAll("-+$", "");
    }

    public static Pod spec(String runId, String node, String namespace, String image, long deadlineSeconds) {
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
        for (HostMount mount : MOUNTS) {
            volumes.add(new VolumeBuilder()
                    .withName(mount.volume())
                    .withNewHostPath(mount.path(), mount.type())
                    .build());
            mounts.add(new VolumeMountBuilder()
                    .withName(mount.volume())
                    .withMountPath("/host" + mount.path())
                    .withReadOnly(true)
                    .build());
        }
        return new PodBuilder()
                .withNewMetadata()
                .withName(name(runId, node))
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "kubectl-remedy")
                .addToLabels(ROLE_LABEL, ROLE)
                .addToLabels(RUN_LABEL, runId)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withActiveDeadlineSeconds(deadlineSeconds)
                .withTerminationGracePeriodSeconds(0L)
                .withTolerations(new Toleration(null, null, "Exists", null, null))
                .withPriorityClassName(null)
                .addNewContainer()
                .withName("node-facts")
                .withImage(image)
                .withCommand("sh", "-c", NodeFactsScript.text(), "node-facts", "/host")
                .withVolumeMounts(mounts)
                .withNewSecurityContext()
                .withRunAsUser(0L)
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .withAdd("DAC_READ_SEARCH")
                .endCapabilities()
                .endSecurityContext()
                .withNewResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("10m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endResources()
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .build();
    }
}
