package dev.remedy.solver;

/**
 * What taking a node out of service costs the rest of the cluster: the requests of the pods that must move
 * plus the free room the node no longer offers. Pods fit elsewhere in a wave while the sum over its
 * unavailable nodes stays within the cluster's total free requests.
 */
public record NodeLoad(String name, long cpuMillis, long memoryBytes) {}
