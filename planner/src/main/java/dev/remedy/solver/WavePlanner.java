package dev.remedy.solver;

import dev.remedy.facts.Snapshot;

/** Chooses one alternative per finding and places every action of it in a wave. */
public interface WavePlanner {

    Schedule schedule(SchedulingProblem problem);

    /**
     * A planner of problems of {@code snapshot} alone, which may start at once, on another thread, whatever part
     * of its work needs only the snapshot (on a large cluster, a pass over every pod), so that it runs while the
     * findings are derived. This planner itself unless it has such work.
     */
    default WavePlanner forSnapshot(Snapshot snapshot) {
        return this;
    }
}
