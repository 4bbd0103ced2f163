package dev.remedy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fast plan writer writes the bytes Jackson writes, or leaves the plan to Jackson. */
class PlanYamlWriterTest {

    private static final String[] AWKWARD = {
        "yes",
        "No",
        "NULL",
        "null",
        "~",
        "true",
        "False",
        "on",
        "OFF",
        "y",
        "n",
        "1.5",
        "0x1F",
        "1e3",
        ".inf",
        "-",
        "---",
        "...",
        "-1",
        "+1",
        "1_000",
        "12:30",
        "2018-12-04T23:10:00Z",
        "a: b",
        "a #b",
        "#a",
        "a,b",
        "[a]",
        "{a}",
        "!a",
        "&a",
        "*a",
        "?a",
        "|a",
        ">a",
        "%a",
        "@a",
        "`a`",
        "'a'",
        "\"a\"",
        " a",
        "a ",
        "a  b",
        "a\tb",
        "a\nb",
        "a\n",
        "\na",
        "a\n\n",
        "  a\nb",
        "a\r\nb",
        "é",
        "a\u2028b",
        "a\u0085b",
        "",
        " ",
        "a - b",
        "- a",
        "a:",
        "a:b",
        "/etc/kubernetes/manifests/etcd.yaml",
        "F1",
        "A12",
        "node-1",
        "v1.12.3",
        "kube-system",
        "ip-10-20-1-11",
        "Relax the probe",
        "x".repeat(130),
        "=",
        "<<",
        "a=b",
        "(a)",
        "a;b",
        "a\\b",
        "\u0000",
        "\t"
    };

    private static final char[] ALPHABET = "abcXYZ019 -._/:#,[]{}!&*?|>%@`'\"\n\t\\=+~()é".toCharArray();

    @Test
    void everyGoldenPlanIsWrittenAsJacksonWritesIt() throws IOException {
        List<Path> plans = new ArrayList<>();
        for (Path root : List.of(RepoPaths.plans(), RepoPaths.testResource("scenarios"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.getFileName().toString().equals("plan.yaml"))
                        .sorted()
                        .forEach(plans::add);
            }
        }
        assertThat(plans).hasSizeGreaterThan(10);
        for (Path file : plans) {
            RemediationPlan plan = PlanYaml.read(file);
            String fast = PlanYamlWriter.write(plan, PlanYamlWriterTest::jacksonValue);

            assertThat(fast).as(file.toString()).isEqualTo(PlanYaml.jacksonYaml(plan));
            assertThat(PlanYaml.yaml(plan)).as(file.toString()).isEqualTo(Files.readString(file));
        }
    }

    @Test
    void awkwardStringsAreWrittenAsJacksonWritesThem() {
        Random random = new Random(42);
        int writtenFast = 0;
        int plans = 3000;
        for (int i = 0; i < plans; i++) {
            RemediationPlan plan = plan(() -> string(random));
            String fast = PlanYamlWriter.write(plan, PlanYamlWriterTest::jacksonValue);
            if (fast != null) {
                writtenFast++;
                assertThat(fast).isEqualTo(PlanYaml.jacksonYaml(plan));
            }
        }
        assertThat(writtenFast).as("plans the fast writer wrote").isGreaterThan(plans / 2);
    }

    @Test
    void everyAwkwardStringIsWrittenAsJacksonWritesItInEveryPlace() {
        for (String text : AWKWARD) {
            RemediationPlan plan = plan(() -> text);
            String fast = PlanYamlWriter.write(plan, PlanYamlWriterTest::jacksonValue);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(PlanYaml.jacksonYaml(plan));
            }
        }
    }

    @Test
    void aPlanWithAnEmptyListInAChangeIsLeftToJackson() {
        RemediationPlan plan = plan(() -> "a");
        Map<String, Object> change =
                new LinkedHashMap<>(plan.spec().waves().get(0).actions().get(0).change());
        change.put("edits", List.of());
        PlannedAction action = plan.spec().waves().get(0).actions().get(0);
        RemediationPlan changed = RemediationPlan.of(
                plan.metadata(),
                new RemediationPlan.Spec(
                        plan.spec().source(),
                        plan.spec().findings(),
                        List.of(new Wave(
                                1,
                                List.of(new PlannedAction(
                                        action.id(),
                                        action.type(),
                                        action.node(),
                                        action.path(),
                                        action.target(),
                                        change,
                                        action.preconditions(),
                                        action.after(),
                                        action.resolves(),
                                        action.risk(),
                                        action.rationale(),
                                        action.verify())))),
                        plan.spec().unresolved()));

        assertThat(PlanYamlWriter.write(changed, PlanYamlWriterTest::jacksonValue))
                .isNull();
        assertThat(PlanYaml.yaml(changed)).isEqualTo(PlanYaml.jacksonYaml(changed));
    }

    private static String string(Random random) {
        if (random.nextInt(3) == 0) {
            return AWKWARD[random.nextInt(AWKWARD.length)];
        }
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    /** A plan with a string from {@code strings} in every place a plan holds one. */
    private static RemediationPlan plan(java.util.function.Supplier<String> strings) {
        ObjectRef subject = new ObjectRef("Pod", strings.get(), strings.get(), strings.get());
        Finding finding = new Finding(
                strings.get(),
                strings.get(),
                Severity.CRITICAL,
                subject,
                strings.get(),
                List.of(strings.get(), strings.get(), "plain evidence"),
                List.of(
                        new Finding.Alternative(strings.get(), strings.get(), Risk.LOW, true, null),
                        new Finding.Alternative("b", strings.get(), Risk.HIGH, false, strings.get())));
        Map<String, Object> edit = new LinkedHashMap<>();
        edit.put("op", "set");
        edit.put(strings.get() + "k", strings.get());
        edit.put("from", 15);
        edit.put("to", strings.get());
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("format", strings.get());
        change.put("edits", List.of(edit, Map.of("op", strings.get())));
        change.put("services", List.of(strings.get(), strings.get()));
        change.put("nested", Map.of("deeper", Map.of("key", strings.get()), "list", List.of(strings.get())));
        change.put("flag", true);
        change.put("big", 12345678901L);
        change.put("diff", strings.get() + "\n" + strings.get() + "\n");
        change.put("ref", subject);
        Map<String, Object> verify = new LinkedHashMap<>();
        verify.put("check", strings.get());
        verify.put("pod", subject);
        PlannedAction action = new PlannedAction(
                "A1",
                ActionType.EditNodeFile,
                strings.get(),
                strings.get(),
                subject,
                change,
                List.of(Map.of("fileSha256", strings.get())),
                List.of(strings.get()),
                List.of(strings.get()),
                Risk.MEDIUM,
                strings.get(),
                List.of(verify, strings.get()));
        return RemediationPlan.of(
                new RemediationPlan.Metadata(strings.get(), strings.get()),
                new RemediationPlan.Spec(
                        new RemediationPlan.Source(
                                strings.get(),
                                strings.get(),
                                strings.get(),
                                strings.get(),
                                true,
                                List.of(strings.get())),
                        List.of(finding),
                        List.of(new Wave(1, List.of(action)), new Wave(2, List.of())),
                        List.of(new RemediationPlan.Unresolved(
                                strings.get(), strings.get(), strings.get(), strings.get()))));
    }

    private static String jacksonValue(Object value) {
        return PlanYaml.jacksonValue(value);
    }
}
