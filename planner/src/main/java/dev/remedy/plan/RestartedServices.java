package dev.remedy.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services a {@link ActionType#RestartNodeService} restarts: the systemd units listed in
 * {@code change.services}, in the order they are restarted (the container runtime before the kubelet). The one
 * reading of that field for the solver, the verifier and the executor, so that what review shows is what apply
 * restarts.
 */
public final class RestartedServices {

    /** The field of {@code change} that lists the services. */
    public static final String FIELD = "services";

    private RestartedServices() {}

    /** The services named by {@code change}; empty when it names none or not as a list of names. */
    public static List<String> of(Map<String, Object> change) {
        Object services = change == null ? null : change.get(FIELD);
        if (!(services instanceof List<?> list)
                || list.isEmpty()
                || list.stream().anyMatch(s -> !(s instanceof String name) || name.isBlank())) {
            return List.of();
        }
        return list.stream().map(String.class::cast).toList();
    }

    /**
     * Whether restarting these services restarts every container of the node in place. docker does (unless
     * live-restore is on, which the facts do not show, so it is assumed off) and so, in this model, does cri-o;
     * containerd does not (its shims keep the containers running), nor does the kubelet (its pods run on
     * through it). The solver and the verifier apply their own rules to this one fact about runtimes.
     */
    public static boolean restartContainers(Map<String, Object> change) {
        return of(change).stream()
                .map(service -> service.endsWith(".service")
                        ? service.substring(0, service.length() - ".service".length())
                        : service)
                .anyMatch(CONTAINER_STOPPING_RUNTIMES::contains);
    }

    private static final Set<String> CONTAINER_STOPPING_RUNTIMES = Set.of("docker", "dockerd", "crio", "cri-o");
}
