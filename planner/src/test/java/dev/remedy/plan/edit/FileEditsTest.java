package dev.remedy.plan.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileEditsTest {

    @Test
    void aKubeletFlagIsSetWhereItIsOrAddedAfterTheLastFlag() {
        String unit = "[Service]\nExecStart=/usr/bin/kubelet \\\n  --kubeconfig=/etc/kubernetes/kubelet.conf \\\n"
                + "  --eviction-hard=memory.available<100Mi\nRestart=always\n";
        Map<String, Object> change = Map.of(
                "format",
                "kubelet-flags",
                "edits",
                List.of(
                        Map.of("op", "set", "flag", "--eviction-hard", "to", "--eviction-hard=memory.available<1Gi"),
                        Map.of("op", "add", "flag", "--kube-reserved", "to", "--kube-reserved=cpu=90m,memory=3610Mi")));

        assertThat(FileEdits.apply(unit, change))
                .isEqualTo(
                        "[Service]\nExecStart=/usr/bin/kubelet \\\n"
                                + "  --kubeconfig=/etc/kubernetes/kubelet.conf \\\n"
                                + "  --eviction-hard=memory.available<1Gi --kube-reserved=cpu=90m,memory=3610Mi\nRestart=always\n");
    }

    @Test
    void aJsonConfigKeepsItsKeyOrderAndGainsTheNewField() {
        String config = "{\"kind\": \"KubeletConfiguration\", \"maxPods\": 110}";
        Map<String, Object> change = Map.of(
                "format",
                "json",
                "edits",
                List.of(Map.of("op", "set", "path", "evictionHard", "to", Map.of("memory.available", "1Gi"))));

        assertThat(FileEdits.apply(config, change)).isEqualTo("""
                {
                  "kind": "KubeletConfiguration",
                  "maxPods": 110,
                  "evictionHard": {
                    "memory.available": "1Gi"
                  }
                }
                """);
    }

    @Test
    void aWholeContentReplacesTheFile() {
        assertThat(FileEdits.apply("old\n", Map.of("format", "pem", "content", "-----BEGIN CERTIFICATE-----\n")))
                .isEqualTo("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThatThrownBy(() -> FileEdits.apply("x", Map.of("format", "toml", "edits", List.of())))
                .hasMessageContaining("format (toml) is unknown");
    }
}
