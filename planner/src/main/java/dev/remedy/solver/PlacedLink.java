package dev.remedy.solver;

/** A prerequisite link placed in a wave: the constraint streams' view of {@link Alternative.Link}. */
record PlacedLink(String findingId, int wave, String key) {}
