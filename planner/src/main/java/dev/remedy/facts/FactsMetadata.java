package dev.remedy.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/** The metadata of the snapshot's own kinds: a name, and optionally labels and annotations. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"name", "labels", "annotations"})
public record FactsMetadata(String name, Map<String, String> labels, Map<String, String> annotations) {
    public FactsMetadata {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static FactsMetadata named(String name) {
        return new FactsMetadata(name, Map.of(), Map.of());
    }
}
