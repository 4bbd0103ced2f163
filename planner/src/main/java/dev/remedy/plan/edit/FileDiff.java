package dev.remedy.plan.edit;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/** Unified diffs of node files, as {@code diff -u} prints them, for the plan and its review. */
public final class FileDiff {

    private FileDiff() {}

    public static String unified(String path, String before, String after) {
        List<String> original = before.lines().toList();
        List<String> revised = after.lines().toList();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(
                "a" + path, "b" + path, original, DiffUtils.diff(original, revised), 3);
        return String.join("\n", diff) + "\n";
    }
}
