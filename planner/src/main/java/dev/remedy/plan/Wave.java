package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Actions that may run together; wave n+1 starts only after wave n has finished and passed its checks. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"index", "actions"})
public record Wave(int index, List<PlannedAction> actions) {
    public Wave {
        actions = actions == null ? List.of() : actions;
    }
}
