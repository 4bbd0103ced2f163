package dev.remedy.facts;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * What a collection gathered, before it is written: the API objects, the host facts of the nodes, the etcd
 * facts and the account of the collection itself. {@link SnapshotWriter} turns it into snapshot files.
 */
public record SnapshotContent(
        List<HasMetadata> objects, List<NodeFacts> nodeFacts, Optional<EtcdFacts> etcd, SnapshotInfo info) {

    public SnapshotContent {
        objects = List.copyOf(objects);
        nodeFacts = List.copyOf(nodeFacts);
    }
}
