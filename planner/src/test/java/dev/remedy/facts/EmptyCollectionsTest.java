package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmptyCollectionsTest {

    private static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web"}},
             "spec": {"nodeName": "worker-1", "tolerations": [],
                      "containers": [{"name": "web", "image": "nginx:1.27",
                                      "resources": {"requests": {"cpu": "100m"}}}]},
             "status": {"phase": "Running"}}
            """;

    @Test
    void aPodReadIsEqualToTheSamePodAsFabric8BindsIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pod.json"), POD);
        KubernetesSerialization fabric8 = new KubernetesSerialization();

        HasMetadata read = new SnapshotReader().read(dir, "snap").objects().getFirst();

        assertThat(read).isEqualTo(fabric8.unmarshal(POD, Pod.class));
        assertThat(fabric8.asJson(read)).isEqualTo(fabric8.asJson(fabric8.unmarshal(POD, Pod.class)));
    }

    @Test
    void unknownFieldsAndNullListsAreReadAsFabric8ReadsThem(@TempDir Path dir) throws IOException {
        String pod = """
                {"apiVersion": "v1", "kind": "Pod", "fromTheFuture": 1,
                 "metadata": {"name": "web-1", "finalizers": null},
                 "spec": {"containers": [{"name": "web", "sidecarOf": {"name": "mesh"}}]}}
                """;
        Files.writeString(dir.resolve("pod.json"), pod);
        KubernetesSerialization fabric8 = new KubernetesSerialization();

        Pod read = (Pod) new SnapshotReader().read(dir, "snap").objects().getFirst();

        assertThat(read).isEqualTo(fabric8.unmarshal(pod, Pod.class));
        assertThat(read.getAdditionalProperties()).containsOnlyKeys("fromTheFuture");
        assertThat(read.getSpec().getContainers().getFirst().getAdditionalProperties())
                .containsOnlyKeys("sidecarOf");
        assertThat(read.getMetadata().getFinalizers()).isNull();
        assertThat(read.getSpec().getAdditionalProperties()).isSameAs(Collections.emptyMap());
    }

    @Test
    void itsEmptyListsAndMapsAreTheSharedEmptiesAndItsFilledOnesAreKept(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pod.json"), POD);

        Pod pod = (Pod) new SnapshotReader().read(dir, "snap").objects().getFirst();

        assertThat(pod.getSpec().getTolerations()).isSameAs(Collections.emptyList());
        assertThat(pod.getSpec().getVolumes()).isSameAs(Collections.emptyList());
        assertThat(pod.getMetadata().getAnnotations()).isSameAs(Collections.emptyMap());
        assertThat(pod.getAdditionalProperties()).isSameAs(Collections.emptyMap());
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(pod.getSpec().getContainers())
                .singleElement()
                .satisfies(c -> assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu"));
    }
}
