package dev.remedy.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

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

    public static String yaml(RemediationPlan plan) {
        String text = write(YAML, plan);
        return text.endsWith("\n") ? text : text + "\n";
    }

    public static String json(RemediationPlan plan) {
        return write(JSON, plan) + "\n";
    }

    private static String write(ObjectMapper mapper, RemediationPlan plan) {
        try {
            return mapper.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A plan could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
