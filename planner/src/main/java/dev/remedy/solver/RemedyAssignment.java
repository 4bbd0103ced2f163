package dev.remedy.solver;

import ai.timefold.solver.core.api.domain.common.PlanningId;
import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import dev.remedy.plan.Severity;
import java.util.List;

/**
 * The planning entity: which alternative resolves one finding (none when no alternative can be placed safely)
 * and the wave its first action runs in; the alternative's other actions follow one wave apart.
 */
@PlanningEntity
public class RemedyAssignment {

    @PlanningId
    private String findingId;

    private Severity severity;
    private List<Alternative> alternatives;

    @PlanningVariable(valueRangeProviderRefs = "alternatives", allowsUnassigned = true)
    private Alternative alternative;

    @PlanningVariable(valueRangeProviderRefs = "waves")
    private Integer startWave;

    public RemedyAssignment() {}

    public RemedyAssignment(String findingId, Severity severity, List<Alternative> alternatives) {
        this.findingId = findingId;
        this.severity = severity;
        this.alternatives = alternatives;
    }

    public RemedyAssignment(
            String findingId, Severity severity, List<Alternative> alternatives, Alternative alternative, int start) {
        this(findingId, severity, alternatives);
        this.alternative = alternative;
        this.startWave = start;
    }

    public String getFindingId() {
        return findingId;
    }

    public Severity getSeverity() {
        return severity;
    }

    @ValueRangeProvider(id = "alternatives")
    public List<Alternative> getAlternatives() {
        return alternatives;
    }

    public Alternative getAlternative() {
        return alternative;
    }

    public void setAlternative(Alternative alternative) {
        this.alternative = alternative;
    }

    public Integer getStartWave() {
        return startWave;
    }

    public void setStartWave(Integer startWave) {
        this.startWave = startWave;
    }

    public boolean isPlaced() {
        return alternative != null && startWave != null;
    }

    /** The wave of the action {@code offset} places after the first. */
    public int wave(int offset) {
        return startWave + offset;
    }

    /** The wave of the chosen alternative's last action: when the finding is resolved. */
    public int endWave() {
        return startWave + alternative.actionCount() - 1;
    }

    @Override
    public String toString() {
        return findingId + (alternative == null ? " unresolved" : " " + alternative.remedyId() + "@" + startWave);
    }
}
