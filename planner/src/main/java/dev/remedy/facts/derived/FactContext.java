package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import java.time.Instant;
import java.util.Map;

/** What a {@link FactCollection} derives from: the snapshot, the moment planned at, the cluster-wide facts. */
public record FactContext(Snapshot snapshot, Instant now, Map<String, Object> cluster) {}
