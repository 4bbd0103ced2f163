package dev.remedy.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Something the reader had to do about a document: skip it ({@code lost}: its facts are missing, so the read is
 * partial and never mistaken for a healthy cluster) or repair it (nothing lost, but the file should be fixed).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"file", "line", "reason"})
public record ReadNote(String file, int line, String reason, boolean lost) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
