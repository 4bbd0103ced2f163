package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterInfoDumpTest {

    @TempDir
    Path dir;

    private Snapshot read(String text) throws IOException {
        Path file = dir.resolve("dump.txt");
        Files.writeString(file, text);
        return new SnapshotReader().read(file, "dump.txt");
    }

    @Test
    void readsTheListsOfAClusterInfoDumpAndSetsTheLogsAside() throws IOException {
        Snapshot snapshot = read("""
                {
                    "kind": "NodeList",
                    "apiVersion": "v1",
                    "items": [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}]
                }
                {
                    "kind": "PodList",
                    "apiVersion": "v1",
                    "items": [{"metadata": {"name": "p1", "namespace": "kube-system"}}]
                }
                {
                    "kind": "DeploymentList",
                    "apiVersion": "apps/v1",
                    "items": null
                }
                ==== START logs for container coredns of pod kube-system/p1 ====
                .:53
                {"level": "info", "msg": "a log line that looks like JSON"}
                ==== END logs for container coredns of pod kube-system/p1 ====
                """);

        assertThat(snapshot.nodes()).hasSize(1);
        assertThat(snapshot.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("p1");
        assertThat(snapshot.partial()).isFalse();
        assertThat(snapshot.notes()).singleElement().satisfies(note -> assertThat(note.toString())
                .contains("dump.txt:16", "1 container log sections"));
    }

    @Test
    void repairsAStrayBraceAndTextAfterAListAndSaysSo() throws IOException {
        Snapshot snapshot = read("""
                {
                    {
                    "kind": "NodeList",
                    "apiVersion": "v1",
                    "items": [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}]
                }, //changed
                {
                    "kind": "PodList",
                    "apiVersion": "v1",
                    "items": []
                }
                """);

        assertThat(snapshot.nodes()).hasSize(1);
        assertThat(snapshot.notes())
                .extracting(ReadNote::toString)
                .containsExactly(
                        "dump.txt:1: repaired: a stray `{` before the list was ignored",
                        "dump.txt:6: repaired: text after the list (, //changed) was ignored");
    }

    @Test
    void aBrokenListIsLostAndNotedWhileTheOthersAreRead() throws IOException {
        Snapshot snapshot = read("""
                {
                    "kind": "NodeList",
                    "items": [ {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "n1"}
                }
                {
                    "kind": "PodList",
                    "apiVersion": "v1",
                    "items": [{"metadata": {"name": "p1", "namespace": "default"}}]
                }
                """);

        assertThat(snapshot.pods()).hasSize(1);
        assertThat(snapshot.partial()).isTrue();
        assertThat(snapshot.notes())
                .extracting(ReadNote::toString)
                .containsExactly("dump.txt:1: skipped: a list that is not valid JSON");
    }

    @Test
    void aTextFileThatIsNotADumpIsRefusedWithItsLine() throws IOException {
        assertThatThrownBy(() -> read("kind: Node\nmetadata: {name: [\n"))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("dump.txt")
                .hasMessageContaining("Maybe");
    }
}
