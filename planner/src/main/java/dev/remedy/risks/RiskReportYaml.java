package dev.remedy.risks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** Writes a {@link RiskReport} as YAML or JSON, in the plan's style: same report, same bytes. */
public final class RiskReportYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RiskReportYaml() {}

    public static String yaml(RiskReport report) {
        String text = write(YAML, report);
        return text.endsWith("\n") ? text : text + "\n";
    }

    public static String json(RiskReport report) {
        return write(JSON, report) + "\n";
    }

    private static String write(ObjectMapper mapper, RiskReport report) {
        try {
            return mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A risk report could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
