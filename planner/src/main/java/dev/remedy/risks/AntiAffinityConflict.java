package dev.remedy.risks;

/**
 * A displaced pod whose required pod anti-affinity term matches another displaced pod: the two must not land in
 * the same domain of {@code topologyKey}. Terms matching pods that stay put are applied to the value ranges.
 */
public record AntiAffinityConflict(int pod, int other, String topologyKey) {}
