package dev.remedy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.remedy.facts.SourceLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Writes plans as YAML (kubectl's list style) or JSON. Records have a declared field order and every map in a
 * plan is built in a deterministic order, which is kept as written so that edits read op, path, from, to.
 * Same plan, same bytes.
 */
public final class PlanYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanYaml() {}

    /**
     * The plan as YAML. {@link PlanYamlWriter} writes it, the same bytes as Jackson in a fraction of the time on a
     * large plan; Jackson writes what that writer does not know.
     */
    public static String yaml(RemediationPlan plan) {
        String text = PlanYamlWriter.write(plan, PlanYaml::jacksonValue);
        return text != null ? text : jacksonYaml(plan);
    }

    /** A value as Jackson writes it as YAML. */
    static String jacksonValue(Object value) {
        return write(YAML, value);
    }

    /** The plan as Jackson writes it: what {@link #yaml} must equal, byte for byte. */
    static String jacksonYaml(RemediationPlan plan) {
        String text = write(YAML, plan);
        return text.endsWith("\n") ? text : text + "\n";
    }

    public static String json(RemediationPlan plan) {
        return write(JSON, plan) + "\n";
    }

    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** Reads a plan written by {@link #yaml} or {@link #json}, strictly: a changed field name is an error. */
    public static RemediationPlan read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PlanException("The plan file (" + file + ") does not exist. Maybe write one with `kubectl remedy"
                    + " plan --output-file " + file + "`.");
        } catch (IOException e) {
            throw new PlanException("The plan file (" + file + ") cannot be read: " + e.getMessage() + ".");
        }
        RemediationPlan plan;
        try {
            plan = READER.readValue(bytes, RemediationPlan.class);
        } catch (JsonProcessingException e) {
            int line = SourceLines.line(
                    READER.getFactory(),
                    bytes,
                    0,
                    e,
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr());
            throw new PlanException("The plan file (" + file + ") line " + line + " is not a plan: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ". Maybe it was edited by hand;"
                    + " regenerate it with `kubectl remedy plan`.");
        } catch (IOException e) {
            throw new PlanException("The plan file (" + file + ") cannot be read: " + e.getMessage() + ".");
        }
        if (plan == null || !RemediationPlan.KIND.equals(plan.kind()) || plan.spec() == null) {
            throw new PlanException("The file (" + file + ") is not a RemediationPlan. Maybe pass the file that"
                    + " `kubectl remedy plan` wrote.");
        }
        return plan;
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A plan could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
