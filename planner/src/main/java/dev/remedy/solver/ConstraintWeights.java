package dev.remedy.solver;

import ai.timefold.solver.core.api.domain.solution.ConstraintWeightOverrides;
import ai.timefold.solver.core.api.score.HardMediumSoftScore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The soft constraints' weights, read from {@code constraint-weights.yaml} beside this class. */
public final class ConstraintWeights {

    static final String RESOURCE = "constraint-weights.yaml";

    private ConstraintWeights() {}

    public static ConstraintWeightOverrides<HardMediumSoftScore> bundled() {
        try (InputStream in = ConstraintWeights.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The constraint weights (" + RESOURCE
                        + ") are missing from the classpath.\nMaybe rebuild the jar.");
            }
            return parse(new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                    .readValue(in, LinkedHashMap.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConstraintWeightOverrides<HardMediumSoftScore> parse(Map<?, ?> weights) {
        Map<String, HardMediumSoftScore> scores = new TreeMap<>();
        weights.forEach((name, weight) -> {
            HardMediumSoftScore score = HardMediumSoftScore.parseScore(String.valueOf(weight));
            if (score.hardScore() != 0 || score.mediumScore() != 0) {
                throw new IllegalStateException("The constraint weight of (" + name + ") is (" + weight
                        + "), which is not soft.\nMaybe write it as 0hard/0medium/" + score.softScore() + "soft:"
                        + " only plan quality is configurable, never safety.");
            }
            scores.put(String.valueOf(name), score);
        });
        return ConstraintWeightOverrides.of(scores);
    }
}
