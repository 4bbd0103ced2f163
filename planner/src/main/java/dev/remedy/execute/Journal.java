package dev.remedy.execute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code apply} did, written next to the plan after every step ({@code <plan>.journal.yaml}), so that
 * {@code apply --resume} continues where a run stopped and a finished plan is never applied twice.
 */
public final class Journal {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    /** The state of one action. */
    public enum Status {
        done,
        failed,
        waiting
    }

    /** One step: the action, what became of it, when, and how to undo it where that applies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"action", "status", "at", "message", "rollback"})
    public record Entry(String action, Status status, String at, String message, String rollback) {}

    private final Path file;
    private final List<Entry> entries;

    private Journal(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The journal of {@code planFile}, empty when the plan was never applied. */
    public static Journal of(Path planFile) {
        Path file = planFile.resolveSibling(planFile.getFileName() + ".journal.yaml");
        if (!Files.exists(file)) {
            return new Journal(file, new ArrayList<>());
        }
        try {
            List<Entry> entries = YAML.readValue(file.toFile(), new TypeReference<List<Entry>>() {});
            return new Journal(file, new ArrayList<>(entries == null ? List.of() : entries));
        } catch (IOException e) {
            throw new ExecutionException("The journal (" + file + ") cannot be read: " + e.getMessage()
                    + ". Maybe it was edited by hand; it records what already ran, so fix it rather than delete it.");
        }
    }

    public Path file() {
        return file;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The latest state of an action, if it was ever started. */
    public Optional<Status> status(String action) {
        Status status = null;
        for (Entry entry : entries) {
            if (entry.action().equals(action)) {
                status = entry.status();
            }
        }
        return Optional.ofNullable(status);
    }

    /** Appends a step and writes the journal at once, atomically, so a crash never loses a done step. */
    public void record(Entry entry) {
        entries.add(entry);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            YAML.writeValue(tmp.toFile(), entries);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("The journal (" + file + ") cannot be written", e);
        }
    }
}
