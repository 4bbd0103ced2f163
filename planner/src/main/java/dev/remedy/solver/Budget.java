package dev.remedy.solver;

/** A PodDisruptionBudget ({@code namespace/name}) and how many of its pods may be disrupted at once. */
public record Budget(String name, int allowed) {}
