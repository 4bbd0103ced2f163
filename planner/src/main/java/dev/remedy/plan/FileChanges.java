package dev.remedy.plan;

import dev.remedy.facts.NodeFacts;
import dev.remedy.facts.Snapshot;
import dev.remedy.facts.derived.Facts;
import dev.remedy.knowledge.Match;
import dev.remedy.plan.edit.EditException;
import dev.remedy.plan.edit.FileDiff;
import dev.remedy.plan.edit.FileEdits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes every file edit of a candidate remedy exact before it is planned: applies the edits to the file as
 * collected, and records the unified diff a reviewer reads and the sha256 the file must have afterwards. A
 * candidate whose edit cannot be made exactly is not applicable, with the reason.
 */
final class FileChanges {

    private FileChanges() {}

    static Match.Candidate render(Match.Candidate candidate, Snapshot snapshot) {
        if (!candidate.applicable()) {
            return candidate;
        }
        List<Match.Action> actions = new ArrayList<>();
        for (Match.Action action : candidate.actions()) {
            try {
                actions.add(render(action, snapshot));
            } catch (EditException e) {
                return new Match.Candidate(
                        candidate.remedy(),
                        candidate.title(),
                        candidate.risk(),
                        false,
                        "the edit of " + action.path() + " on " + action.node() + " cannot be made exactly: "
                                + e.getMessage(),
                        List.of());
            }
        }
        return new Match.Candidate(candidate.remedy(), candidate.title(), candidate.risk(), true, null, actions);
    }

    @SuppressWarnings("unchecked")
    private static Match.Action render(Match.Action action, Snapshot snapshot) {
        if (action.type() != ActionType.EditNodeFile
                || action.change() == null
                || !(action.change().get("edits") instanceof List<?> edits)) {
            return action;
        }
        Optional<NodeFacts.HostFile> file = snapshot.nodeFacts(action.node()).flatMap(f -> f.file(action.path()));
        if (file.isEmpty()) {
            throw new EditException("the file was not collected, so its content and hash are unknown");
        }
        String before = file.get().content();
        String after = FileEdits.apply(before, action.change());
        Map<String, Object> change = new LinkedHashMap<>(action.change());
        change.put("resultSha256", Facts.sha256(after));
        change.put("diff", FileDiff.unified(action.path(), before, after));
        return new Match.Action(
                action.type(),
                action.node(),
                action.path(),
                action.target(),
                change,
                action.preconditions(),
                action.verify(),
                action.risk(),
                action.rationale());
    }
}
