package dev.remedy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.remedy.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher on PATH as kubectl-remedy, run through the machine's real kubectl plugin mechanism. */
class KubectlPluginIT {

    private static final Path LAUNCHER = RepoPaths.root().resolve("kubectl-remedy");

    @TempDir
    static Path bin;

    @BeforeAll
    static void installAsPlugin() throws Exception {
        Files.createSymbolicLink(bin.resolve("kubectl-remedy"), LAUNCHER);
        // The first run may build the jar or prepare the start-up cache, and says so on stderr: not in a test
        // that counts stderr's lines.
        Run first = run(bin, Map.of(), LAUNCHER.toString(), "--version");
        assertThat(first.exitCode()).as(first.toString()).isZero();
    }

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private static Run run(Path pathDir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(bin.toFile());
        builder.environment().put("PATH", pathDir + ":" + System.getenv("PATH"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(bin, "out", ".txt");
        Path err = Files.createTempFile(bin, "err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES))
                .as("%s finished", List.of(command))
                .isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void kubectlListsTheLauncherAsAPlugin() throws Exception {
        Run run = run(bin, Map.of(), "kubectl", "plugin", "list");

        assertThat(run.out())
                .as(run.toString())
                .contains(bin.resolve("kubectl-remedy").toString());
    }

    @Test
    void kubectlRemedyHelpSaysKubectlRemedy() throws Exception {
        Run run = run(bin, Map.of(), "kubectl", "remedy", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: kubectl remedy").contains("plan", "scenarios");
    }

    @Test
    void kubectlRemedyPlanWritesTheNreLabsPlan() throws Exception {
        Path snapshot = RepoPaths.plans().resolve("nre-labs-2018/snapshot");

        Run run = run(bin, Map.of(), "kubectl", "remedy", "plan", "-o", "yaml", "--snapshot", snapshot.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().replace(snapshot.toString(), "plans/nre-labs-2018/snapshot"))
                .isEqualTo(Files.readString(RepoPaths.plans().resolve("nre-labs-2018/plan.yaml")));
        assertThat(run.err()).contains("[F1] critical static-pod-liveness-probe-too-tight");
    }

    @Test
    void aWrongFlagThroughKubectlExitsTwoWithOneLine() throws Exception {
        Run run = run(bin, Map.of(), "kubectl", "remedy", "scenarios", "list", "--colour");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error: Unknown option: '--colour'");
    }

    @Test
    void makingTheStartUpCacheRemovesOneLeftByAnotherJdk() throws Exception {
        Path target = RepoPaths.root().resolve("planner/target");
        List<Path> caches = startUpCaches(target);
        assumeThat(caches)
                .as("a start-up cache, which the launcher makes on JDK 25+")
                .isNotEmpty();
        Path stale = Files.writeString(target.resolve("kubectl-remedy-24.0.2_12.aot"), "made by an older JDK");
        Path staleFailure = Files.writeString(target.resolve("kubectl-remedy-24.0.2_12.aot.failed"), "");
        for (Path cache : caches) {
            Files.delete(cache);
        }

        Run run = run(bin, Map.of(), LAUNCHER.toString(), "--version");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("kubectl remedy ");
        assertThat(startUpCaches(target)).as("this JDK's cache, made again").isEqualTo(caches);
        assertThat(stale).doesNotExist();
        assertThat(staleFailure).doesNotExist();
    }

    private static List<Path> startUpCaches(Path target) throws Exception {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches("kubectl-remedy-.*\\.aot"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aCopiedLauncherFindsTheRepositoryThroughRemedyHome(@TempDir Path other) throws Exception {
        Files.copy(LAUNCHER, other.resolve("kubectl-remedy"));

        Run withoutHome = run(other, Map.of("REMEDY_HOME", ""), "kubectl", "remedy", "--version");
        Run withHome = run(other, Map.of("REMEDY_HOME", RepoPaths.root().toString()), "kubectl", "remedy", "--version");

        assertThat(withoutHome.exitCode()).as(withoutHome.toString()).isEqualTo(1);
        assertThat(withoutHome.err()).contains("Maybe symlink the launcher");
        assertThat(withHome.exitCode()).as(withHome.toString()).isZero();
        assertThat(withHome.out()).startsWith("kubectl remedy ");
    }
}
