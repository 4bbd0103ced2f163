package dev.remedy.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remedy.facts.derived.Facts;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.Risk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node scripts run with bash against a temporary directory laid out as a host root. */
class NodeScriptTest {

    private static final String CALICO = "{\"name\": \"k8s-pod-network\", \"cniVersion\": \"0.3.1\"}\n";
    private static final String FLANNEL = "{\"name\": \"cbr0\", \"cniVersion\": \"0.3.1\"}\n";
    private static final String MANIFEST = "apiVersion: v1\nkind: Pod\nspec:\n  timeoutSeconds: 15\n";
    private static final String EDITED = "apiVersion: v1\nkind: Pod\nspec:\n  timeoutSeconds: 33\n";

    @TempDir
    Path host;

    record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void layOutHost() throws IOException {
        Files.createDirectories(host.resolve("etc/cni/net.d"));
        Files.createDirectories(host.resolve("etc/kubernetes/manifests"));
        Files.writeString(host.resolve("etc/cni/net.d/10-calico.conflist"), CALICO);
        Files.writeString(host.resolve("etc/cni/net.d/10-flannel.conflist"), FLANNEL);
        Files.writeString(host.resolve("etc/kubernetes/manifests/etcd.yaml"), MANIFEST);
    }

    private static PlannedAction action(ActionType type, String path, String sha, Map<String, Object> change) {
        return new PlannedAction(
                "A1",
                type,
                "node-1",
                path,
                null,
                change,
                List.of(Map.of("fileSha256", sha)),
                List.of(),
                List.of("F1"),
                Risk.LOW,
                "test",
                List.of());
    }

    private static PlannedAction move(String path, String content) {
        return action(ActionType.MoveNodeFile, path, Facts.sha256(content), Map.of("within", "/etc/cni/net.d"));
    }

    private static PlannedAction edit() {
        return action(
                ActionType.EditNodeFile,
                "/etc/kubernetes/manifests/etcd.yaml",
                Facts.sha256(MANIFEST),
                Map.of("resultSha256", Facts.sha256(EDITED)));
    }

    private Result run(String script) throws Exception {
        Path file = Files.createTempFile(host.getParent(), "script", ".sh");
        Files.writeString(file, script);
        Process process = new ProcessBuilder("bash", file.toString())
                .directory(host.toFile())
                .redirectErrorStream(false)
                .start();
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Result runOnHost(String script) throws Exception {
        return run("export HOST_ROOT='" + host + "'\nexport SYSTEMCTL='echo systemctl'\n"
                + script.replaceFirst("#!/usr/bin/env bash\n", ""));
    }

    @Test
    void movesTheStrayFileAsideAndLeavesThePrimaryUntouched() throws Exception {
        Result result = runOnHost(
                NodeScript.forAction("plan-1", move("/etc/cni/net.d/10-flannel.conflist", FLANNEL), Optional.empty()));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(host.resolve("etc/cni/net.d/10-flannel.conflist")).doesNotExist();
        assertThat(host.resolve("etc/cni/net.d/10-calico.conflist")).hasContent(CALICO.strip());
        assertThat(host.resolve("var/lib/kubectl-remedy/backup/plan-1/A1/etc/cni/net.d/10-flannel.conflist"))
                .as("moved, never deleted")
                .hasContent(FLANNEL.strip());
        assertThat(result.out())
                .contains("A1: moved /etc/cni/net.d/10-flannel.conflist out of service to"
                        + " /var/lib/kubectl-remedy/backup/plan-1/A1/etc/cni/net.d/10-flannel.conflist");
    }

    @Test
    void aStrayFileGoesWhereTheScenarioSaysOnlyWhileThePrimaryIsThereUnchanged() throws Exception {
        PlannedAction move = new PlannedAction(
                "A1",
                ActionType.MoveNodeFile,
                "node-1",
                "/etc/cni/net.d/10-flannel.conflist",
                null,
                Map.of("within", "/etc/cni/net.d", "to", "/etc/cni/net.d.disabled/10-flannel.conflist"),
                List.of(
                        Map.of("fileSha256", Facts.sha256(FLANNEL)),
                        Map.of("fileSha256", Facts.sha256(CALICO), "path", "/etc/cni/net.d/10-calico.conflist")),
                List.of(),
                List.of("F1"),
                Risk.LOW,
                "test",
                List.of());
        Files.writeString(host.resolve("etc/cni/net.d/10-calico.conflist"), "{\"changed\": true}\n");

        Result refused = runOnHost(NodeScript.forAction("plan-1", move, Optional.empty()));
        Files.writeString(host.resolve("etc/cni/net.d/10-calico.conflist"), CALICO);
        Result moved = runOnHost(NodeScript.forAction("plan-1", move, Optional.empty()));

        assertThat(refused.exitCode()).isEqualTo(NodeScript.STALE);
        assertThat(refused.err()).contains("/etc/cni/net.d/10-calico.conflist changed since planning");
        assertThat(moved.exitCode()).as(moved.toString()).isZero();
        assertThat(host.resolve("etc/cni/net.d.disabled/10-flannel.conflist")).hasContent(FLANNEL.strip());
        assertThat(host.resolve("etc/cni/net.d/10-flannel.conflist")).doesNotExist();
    }

    @Test
    void aChangedFileAbortsWithoutTouchingAnything() throws Exception {
        Files.writeString(host.resolve("etc/cni/net.d/10-flannel.conflist"), "{\"changed\": true}\n");

        Result result = runOnHost(
                NodeScript.forAction("plan-1", move("/etc/cni/net.d/10-flannel.conflist", FLANNEL), Optional.empty()));

        assertThat(result.exitCode()).isEqualTo(NodeScript.STALE);
        assertThat(result.err()).contains("changed since planning", "nothing was touched");
        assertThat(host.resolve("etc/cni/net.d/10-flannel.conflist")).exists();
        assertThat(host.resolve("var/lib/kubectl-remedy")).doesNotExist();
    }

    @Test
    void editsWriteExactlyThePlannedContentAndRollBack() throws Exception {
        Path manifest = host.resolve("etc/kubernetes/manifests/etcd.yaml");

        Result applied = runOnHost(NodeScript.forAction("plan-1", edit(), Optional.of(EDITED)));

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(Files.readString(manifest)).isEqualTo(EDITED);
        try (Stream<Path> files = Files.list(manifest.getParent())) {
            assertThat(files)
                    .as("no temporary or backup file left where the kubelet reads")
                    .containsExactly(manifest);
        }

        Result rolledBack = runOnHost(NodeScript.rollback("plan-1", edit()));

        assertThat(rolledBack.exitCode()).as(rolledBack.toString()).isZero();
        assertThat(Files.readString(manifest)).isEqualTo(MANIFEST);
    }

    @Test
    void anEditWhoseResultDiffersFromThePlanIsNotWritten() throws Exception {
        Result result = runOnHost(NodeScript.forAction("plan-1", edit(), Optional.of(EDITED + "# more\n")));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("does not match the plan's result sha256");
        assertThat(host.resolve("etc/kubernetes/manifests/etcd.yaml")).hasContent(MANIFEST.strip());
    }

    @Test
    void aFileNameWithSpacesAndCommandSubstitutionIsOnlyAName() throws Exception {
        String name = "/etc/cni/net.d/10-$(touch pwned) 'x'.conf";
        Files.writeString(host.resolve(name.substring(1)), FLANNEL);

        String script = NodeScript.forAction("plan-1", move(name, FLANNEL), Optional.empty());
        Result result = runOnHost(script);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(host.resolve("pwned")).doesNotExist();
        assertThat(host.getParent().resolve("pwned")).doesNotExist();
        assertThat(host.resolve("var/lib/kubectl-remedy/backup/plan-1/A1" + name))
                .exists();
    }

    @Test
    void everyScriptPassesBashSyntaxCheck() throws Exception {
        PlannedAction restart =
                action(ActionType.RestartNodeService, null, "x", Map.of("services", List.of("containerd", "kubelet")));
        List<String> scripts = List.of(
                NodeScript.forAction("p", move("/etc/cni/net.d/a b.conf", FLANNEL), Optional.empty()),
                NodeScript.forAction("p", edit(), Optional.of(EDITED)),
                NodeScript.rollback("p", edit()),
                NodeScript.rollback("p", move("/etc/cni/net.d/$(x).conf", FLANNEL)),
                NodeScript.forAction("p", restart, Optional.empty()));
        for (String script : scripts) {
            Path file = Files.createTempFile(host.getParent(), "check", ".sh");
            Files.writeString(file, script);
            Process process = new ProcessBuilder("bash", "-n", file.toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(process.waitFor())
                    .as(script + new String(process.getInputStream().readAllBytes()))
                    .isZero();
        }
    }

    @Test
    void restartsEveryNamedServiceInTheGivenOrderThroughSystemctl() throws Exception {
        PlannedAction restart =
                action(ActionType.RestartNodeService, null, "x", Map.of("services", List.of("docker", "kubelet")));

        Result result = runOnHost(NodeScript.forAction("plan-1", restart, Optional.empty()));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .isEqualTo("systemctl restart docker\nA1: restarted docker\n"
                        + "systemctl restart kubelet\nA1: restarted kubelet\n");
    }

    @Test
    void aFailedRestartStopsBeforeTheNextService() throws Exception {
        PlannedAction restart =
                action(ActionType.RestartNodeService, null, "x", Map.of("services", List.of("containerd", "kubelet")));
        String script = NodeScript.forAction("plan-1", restart, Optional.empty());

        Result result = run("export SYSTEMCTL=false\n" + script.replaceFirst("#!/usr/bin/env bash\n", ""));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out()).doesNotContain("restarted");
    }

    @Test
    void aRestartThatNamesNoServicesIsRefusedNotReadAsTheKubelet() {
        PlannedAction singular = action(ActionType.RestartNodeService, null, "x", Map.of("service", "containerd"));
        PlannedAction empty = action(ActionType.RestartNodeService, null, "x", Map.of("services", List.of()));

        assertThatThrownBy(() -> NodeScript.forAction("p", singular, Optional.empty()))
                .hasMessageContaining("names no services (change.services");
        assertThatThrownBy(() -> NodeScript.forAction("p", empty, Optional.empty()))
                .hasMessageContaining("Maybe regenerate the plan.");
    }

    @Test
    void aMoveOutsideTheScenariosDirectoryIsRefused() {
        PlannedAction escape =
                action(ActionType.MoveNodeFile, "/etc/kubernetes/admin.conf", "x", Map.of("within", "/etc/cni/net.d"));
        PlannedAction traversal = action(
                ActionType.MoveNodeFile,
                "/etc/cni/net.d/../../kubernetes/admin.conf",
                "x",
                Map.of("within", "/etc/cni/net.d"));
        PlannedAction unbounded = action(ActionType.MoveNodeFile, "/etc/cni/net.d/a.conf", "x", Map.of());

        assertThatThrownBy(() -> NodeScript.forAction("p", escape, Optional.empty()))
                .hasMessageContaining("refuses /etc/kubernetes/admin.conf");
        assertThatThrownBy(() -> NodeScript.forAction("p", traversal, Optional.empty()))
                .hasMessageContaining("refuses");
        assertThatThrownBy(() -> NodeScript.forAction("p", unbounded, Optional.empty()))
                .hasMessageContaining("names no directory");
    }
}
