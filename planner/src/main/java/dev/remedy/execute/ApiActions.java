package dev.remedy.execute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remedy.plan.ObjectRef;
import dev.remedy.plan.PlannedAction;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out API actions through the Kubernetes API. With a server dry-run every write carries
 * {@code dryRun=All}, so admission and validation run in staging without changing anything.
 */
public final class ApiActions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Node", Node.class,
            "Pod", Pod.class,
            "Deployment", Deployment.class,
            "DaemonSet", DaemonSet.class,
            "StatefulSet", StatefulSet.class,
            "ReplicaSet", ReplicaSet.class,
            "ConfigMap", ConfigMap.class,
            "Service", Service.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);

    private final KubernetesClient client;

    public ApiActions(KubernetesClient client) {
        this.client = client;
    }

    /** The target's resourceVersion now, or empty when it does not exist. */
    public Optional<String> resourceVersion(ObjectRef target) {
        HasMetadata object = resource(target).get();
        return Optional.ofNullable(object).map(o -> o.getMetadata().getResourceVersion());
    }

    /** How many pods the DaemonSet still schedules; 0 when it is gone. */
    public int daemonSetPods(String namespace, String name) {
        DaemonSet daemonSet =
                client.apps().daemonSets().inNamespace(namespace).withName(name).get();
        if (daemonSet == null || daemonSet.getStatus() == null) {
            return 0;
        }
        Integer scheduled = daemonSet.getStatus().getCurrentNumberScheduled();
        return scheduled == null ? 0 : scheduled;
    }

    /** Performs {@code action}; returns what was done and the target's new resourceVersion where it has one. */
    public Result execute(PlannedAction action, boolean dryRun) {
        ObjectRef target = requireTarget(action);
        Map<String, Object> change = action.change() == null ? Map.of() : action.change();
        String verb = dryRun ? "would " : "";
        return switch (action.type()) {
            case CordonNode ->
                patch(
                        target,
                        Map.of("spec", Map.of("unschedulable", true)),
                        dryRun,
                        verb + "cordon node " + target.name());
            case UncordonNode ->
                patch(
                        target,
                        Map.of("spec", Map.of("unschedulable", false)),
                        dryRun,
                        verb + "uncordon node " + target.name());
            case ScaleWorkload, PatchResource ->
                patch(
                        target,
                        patchOf(action, change),
                        dryRun,
                        verb + "patch " + target + " with " + json(patchOf(action, change)));
            case RolloutRestart ->
                patch(
                        target,
                        Map.of(
                                "spec",
                                Map.of(
                                        "template",
                                        Map.of(
                                                "metadata",
                                                Map.of(
                                                        "annotations",
                                                        Map.of(
                                                                "kubectl.kubernetes.io/restartedAt",
                                                                Instant.now().toString()))))),
                        dryRun,
                        verb + "restart the rollout of " + target);
            case DeleteResource -> {
                resource(target).dryRun(dryRun).delete();
                yield new Result(verb + "delete " + target, null);
            }
            case DrainNode -> drain(target.name(), dryRun);
            default -> throw new ExecutionException(action.id() + ": " + action.type() + " is not an API action.");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> patchOf(PlannedAction action, Map<String, Object> change) {
        if (change.get("patch") instanceof Map<?, ?> patch) {
            return (Map<String, Object>) patch;
        }
        if (change.get("replicas") instanceof Number replicas) {
            return Map.of("spec", Map.of("replicas", replicas));
        }
        throw new ExecutionException(action.id() + ": " + action.type() + " has neither change.patch nor"
                + " change.replicas. Maybe regenerate the plan.");
    }

    private Result patch(ObjectRef target, Map<String, Object> patch, boolean dryRun, String message) {
        HasMetadata patched = resource(target).dryRun(dryRun).patch(PatchContext.of(PatchType.JSON_MERGE), json(patch));
        return new Result(
                message,
                dryRun || patched == null ? null : patched.getMetadata().getResourceVersion());
    }

    /** Evicts the node's pods through the Eviction API, so PodDisruptionBudgets are respected. */
    private Result drain(String node, boolean dryRun) {
        List<String> evicted = new ArrayList<>();
        List<Pod> pods = client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", node)
                .list()
                .getItems();
        for (Pod pod : pods) {
            if (isDaemonSetPod(pod) || isMirrorPod(pod)) {
                continue;
            }
            Eviction eviction = new EvictionBuilder()
                    .withNewMetadata()
                    .withName(pod.getMetadata().getName())
                    .withNamespace(pod.getMetadata().getNamespace())
                    .endMetadata()
                    .withDeleteOptions(new DeleteOptionsBuilder()
                            .withDryRun(dryRun ? List.of("All") : List.of())
                            .build())
                    .build();
            boolean ok = client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .evict(eviction);
            if (!ok) {
                throw new ExecutionException("The eviction of pod "
                        + pod.getMetadata().getNamespace() + "/"
                        + pod.getMetadata().getName() + " from " + node + " was refused (a PodDisruptionBudget allows"
                        + " no disruption now); the drain stopped there, " + evicted.size() + " pods were evicted.");
            }
            evicted.add(
                    pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        }
        return new Result(
                (dryRun ? "would evict " : "evicted ") + evicted.size() + " pods from " + node
                        + (evicted.isEmpty() ? "" : ": " + String.join(", ", evicted)),
                null);
    }

    private static boolean isDaemonSetPod(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
    }

    private static boolean isMirrorPod(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey("kubernetes.io/config.mirror");
    }

    private Resource<? extends HasMetadata> resource(ObjectRef target) {
        Class<? extends HasMetadata> type = KINDS.get(target.kind());
        if (type == null) {
            throw new ExecutionException(
                    "The kind (" + target.kind() + ") of " + target + " is not one apply can change." + " Maybe one of "
                            + String.join(", ", KINDS.keySet().stream().sorted().toList()) + ".");
        }
        return target.namespace() == null
                ? client.resources(type).withName(target.name())
                : client.resources(type).inNamespace(target.namespace()).withName(target.name());
    }

    private static ObjectRef requireTarget(PlannedAction action) {
        if (action.target() == null) {
            throw new ExecutionException(action.id() + ": " + action.type() + " names no target object.");
        }
        return action.target();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an API action did, and the resourceVersion it left (null for dry runs and deletions). */
    public record Result(String message, String resourceVersion) {}
}
