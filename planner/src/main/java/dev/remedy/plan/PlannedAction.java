package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One step of a plan. {@code change} is exact and type-specific (a YAML-path edit, a patch, a replica count);
 * {@code preconditions} are checked again right before the action runs (a file's sha256, an object's
 * resourceVersion); {@code after} names the actions that must have finished first.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({
    "id",
    "type",
    "node",
    "path",
    "target",
    "change",
    "preconditions",
    "after",
    "resolves",
    "risk",
    "rationale",
    "verify"
})
public record PlannedAction(
        String id,
        ActionType type,
        String node,
        String path,
        ObjectRef target,
        Map<String, Object> change,
        List<Map<String, Object>> preconditions,
        List<String> after,
        List<String> resolves,
        Risk risk,
        String rationale,
        List<Object> verify) {

    public PlannedAction {
        preconditions = preconditions == null ? List.of() : preconditions;
        after = after == null ? List.of() : after;
        resolves = resolves == null ? List.of() : resolves;
        verify = verify == null ? List.of() : verify;
    }
}
