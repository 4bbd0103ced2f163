package dev.remedy.solver;

/** Chooses one alternative per finding and places every action of it in a wave. */
public interface WavePlanner {

    Schedule schedule(SchedulingProblem problem);
}
