package dev.remedy.facts.live;

import dev.remedy.facts.SnapshotInfo.CollectionProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What a collection read and what it could not read, for the {@code SnapshotInfo}; safe to use from threads. */
public final class CollectionLog {

    private final List<String> collected = new ArrayList<>();
    private final List<CollectionProblem> problems = new ArrayList<>();

    public synchronized void collected(String what) {
        collected.add(what);
    }

    public synchronized void problem(String what, String reason) {
        problems.add(new CollectionProblem(what, reason));
    }

    /** Sorted, so that parallel collection writes the same account every time. */
    public synchronized List<String> collected() {
        return collected.stream().sorted().toList();
    }

    public synchronized List<CollectionProblem> problems() {
        return problems.stream()
                .sorted(Comparator.comparing(CollectionProblem::what).thenComparing(CollectionProblem::reason))
                .toList();
    }
}
