package dev.remedy.plan;

import java.util.List;
import java.util.Map;

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
}
