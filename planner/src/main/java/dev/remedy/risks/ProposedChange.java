package dev.remedy.risks;

import dev.remedy.facts.Snapshot;
import dev.remedy.facts.SnapshotReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A manifest proposed for {@code kubectl apply} ({@code risks -f}): Deployments and StatefulSets replace their
 * pods with new replicas placed as the scheduler would spread them; Services and PDBs are added or replaced.
 * Other kinds are listed as ignored.
 */
public final class ProposedChange {

    private final String name;
    private final List<HasMetadata> objects;

    private ProposedChange(String name, List<HasMetadata> objects) {
        this.name = name;
        this.objects = objects;
    }

    public static ProposedChange read(Path file) {
        Snapshot parsed = new SnapshotReader().read(file, file.toString());
        return new ProposedChange(file.toString(), parsed.objects());
    }

    String describe() {
        List<String> kinds = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (HasMetadata object : objects) {
            String ref = object.getKind() + " " + namespace(object.getMetadata()) + "/"
                    + object.getMetadata().getName();
            (supported(object) ? kinds : ignored).add(ref);
        }
        return name + ": " + String.join(", ", kinds)
                + (ignored.isEmpty() ? "" : "; ignored: " + String.join(", ", ignored));
    }

    /** The keys of the workloads the manifest declares. */
    java.util.Set<String> workloads() {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment || object instanceof StatefulSet) {
                keys.add(ModelWorkload.key(
                        object.getKind(),
                        namespace(object.getMetadata()),
                        object.getMetadata().getName()));
            }
        }
        return keys;
    }

    private static boolean supported(HasMetadata object) {
        return object instanceof Deployment
                || object instanceof StatefulSet
                || object instanceof Service
                || object instanceof PodDisruptionBudget;
    }

    ClusterModel applyTo(ClusterModel before) {
        ClusterModel.Builder builder = before.toBuilder();
        List<ModelWorkload> changed = new ArrayList<>();
        List<PodTemplateSpec> templates = new ArrayList<>();
        for (HasMetadata object : objects) {
            String namespace = namespace(object.getMetadata());
            String name = object.getMetadata().getName();
            if (object instanceof Deployment d) {
                changed.add(new ModelWorkload(
                        "Deployment",
                        namespace,
                        name,
                        replicas(d.getSpec().getReplicas()),
                        LabelSelection.of(d.getSpec().getSelector()),
                        null));
                templates.add(d.getSpec().getTemplate());
            } else if (object instanceof StatefulSet s) {
                changed.add(new ModelWorkload(
                        "StatefulSet",
                        namespace,
                        name,
                        replicas(s.getSpec().getReplicas()),
                        LabelSelection.of(s.getSpec().getSelector()),
                        null));
                templates.add(s.getSpec().getTemplate());
            } else if (object instanceof Service s
                    && s.getSpec() != null
                    && s.getSpec().getSelector() != null) {
                builder.services.removeIf(
                        x -> x.namespace().equals(namespace) && x.name().equals(name));
                builder.services.add(new ModelService(
                        namespace, name, LabelSelection.of(s.getSpec().getSelector())));
            } else if (object instanceof PodDisruptionBudget p) {
                builder.pdbs.removeIf(
                        x -> x.namespace().equals(namespace) && x.name().equals(name));
                builder.pdbs.add(new ModelPdb(
                        namespace,
                        name,
                        LabelSelection.of(p.getSpec().getSelector()),
                        p.getSpec().getMinAvailable(),
                        p.getSpec().getMaxUnavailable()));
            }
        }
        for (ModelWorkload workload : changed) {
            builder.workloads.removeIf(w -> w.key().equals(workload.key()));
            builder.workloads.add(workload);
            builder.pods.removeIf(p -> p.workload().equals(workload.key()));
        }
        SpreadPlacement placement = new SpreadPlacement(builder.build());
        for (int i = 0; i < changed.size(); i++) {
            ModelWorkload workload = changed.get(i);
            PodTemplateSpec template = templates.get(i);
            Pod pod = new Pod();
            pod.setMetadata(template.getMetadata() == null ? new ObjectMeta() : template.getMetadata());
            pod.getMetadata().setNamespace(workload.namespace());
            pod.getMetadata().setName(workload.name());
            pod.setSpec(template.getSpec());
            pod.setStatus(new PodStatusBuilder()
                    .withPhase("Running")
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .endCondition()
                    .build());
            ModelPod model = ModelReader.pod(pod, workload.key());
            String key = null;
            for (TopologySpreadConstraint c : nonNull(template.getSpec().getTopologySpreadConstraints())) {
                if ("DoNotSchedule".equals(c.getWhenUnsatisfiable())) {
                    key = c.getTopologyKey();
                }
            }
            List<String> nodes = placement.place(model, workload.replicas(), key);
            for (int r = 0; r < nodes.size(); r++) {
                builder.pods.add(new ModelPod(
                        model.namespace(),
                        workload.name() + "-proposed-" + (r + 1),
                        nodes.get(r),
                        model.cpuMillis(),
                        model.memoryBytes(),
                        model.labels(),
                        model.tolerations(),
                        model.nodeSelector(),
                        model.requiredNodeAffinity(),
                        model.antiAffinity(),
                        workload.key(),
                        false,
                        false,
                        true,
                        nodes.get(r) != null,
                        model.localStorage(),
                        null));
            }
        }
        return builder.build();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static int replicas(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private static String namespace(ObjectMeta metadata) {
        return metadata.getNamespace() == null ? "default" : metadata.getNamespace();
    }

    static Map<String, String> labels(ObjectMeta metadata) {
        return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    }
}
