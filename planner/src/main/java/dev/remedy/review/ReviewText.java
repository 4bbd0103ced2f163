package dev.remedy.review;

import dev.remedy.Counts;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.Finding;
import dev.remedy.plan.PlannedAction;
import dev.remedy.plan.RemediationPlan;
import dev.remedy.plan.Wave;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Help.Ansi;

/** The review as a person reads it: plain text, with colour only when asked for (a terminal, no NO_COLOR). */
public final class ReviewText {

    private final Ansi ansi;
    private final StringBuilder out = new StringBuilder();

    private ReviewText(boolean colour) {
        this.ansi = colour ? Ansi.ON : Ansi.OFF;
    }

    public static String render(RemediationPlan plan, Review review, boolean colour) {
        return new ReviewText(colour).write(plan, review);
    }

    private String write(RemediationPlan plan, Review review) {
        RemediationPlan.Source source = plan.spec().source();
        line(
                "Plan %s, made %s from %s (facts sha256 %s)%s",
                plan.metadata().name(),
                plan.metadata().creationTimestamp(),
                source.snapshot() != null ? source.snapshot() : source.context(),
                abbreviate(source.fingerprint()),
                Boolean.TRUE.equals(source.partial()) ? ", PARTIAL facts" : "");
        for (String note : source.notes()) {
            line("  note: %s", note);
        }
        if (review.safe()) {
            line(
                    style("green,bold", "SAFE") + ": the verifier finds no broken rule (checked against %s).",
                    review.checkedAgainst());
        } else {
            line(
                    style("red,bold", "UNSAFE") + ": the verifier finds %d broken rules (checked against %s):",
                    review.violations().size(),
                    review.checkedAgainst());
            review.violations().forEach(v -> line("  - %s", v));
        }
        if (review.stale() != null) {
            if (!review.stale() && review.changes().isEmpty()) {
                line(style("green,bold", "CURRENT") + ": the facts are the ones the plan was made from.");
            } else if (!review.stale()) {
                line(
                        style("yellow,bold", "CURRENT") + ": every target is as planned; %s.",
                        review.changes().get(0));
            } else {
                line(
                        style("red,bold", "STALE") + ": %d targets changed since planning; apply would stop at them:",
                        review.changes().size());
                review.changes().forEach(c -> line("  - %s", c));
            }
        }
        findings(plan.spec().findings());
        waves(plan.spec().waves(), review.waveBoundaries());
        unresolved(plan.spec().unresolved());
        return out.toString();
    }

    private void findings(List<Finding> findings) {
        line("");
        line(style("bold", "Findings") + " (%d)", findings.size());
        for (Finding finding : findings) {
            line("  [%s] %s %s: %s", finding.id(), severity(finding), finding.scenario(), finding.subject());
            line("       %s", finding.summary());
            for (String evidence : finding.evidence()) {
                line("       - %s", evidence);
            }
            line(
                    "       alternatives: %s",
                    finding.alternatives().stream()
                            .map(a -> a.remedy() + " (" + a.risk().yaml()
                                    + (a.chosen()
                                            ? ", chosen"
                                            : a.notApplicable() != null ? ", not applicable: " + a.notApplicable() : "")
                                    + ")")
                            .collect(Collectors.joining("; ")));
        }
    }

    private void waves(List<Wave> waves, List<String> boundaries) {
        for (Wave wave : waves) {
            line("");
            line(
                    style("bold", "Wave " + wave.index()) + " (%s)",
                    Counts.of(wave.actions().size(), "action"));
            String prefix = "wave " + wave.index() + " starts a new wave because ";
            boundaries.stream()
                    .filter(b -> b.startsWith(prefix))
                    .forEach(b -> line("  why a new wave: %s", b.substring(prefix.length())));
            for (PlannedAction action : wave.actions()) {
                action(action);
            }
        }
    }

    private void action(PlannedAction action) {
        line(
                "  %s %s %s  risk %s  resolves %s",
                action.id(),
                style("bold", action.type().name()),
                where(action),
                action.risk() == null ? "-" : action.risk().yaml(),
                String.join(", ", action.resolves()));
        if (!action.after().isEmpty()) {
            line("     after: %s", String.join(", ", action.after()));
        }
        line("     why: %s", action.rationale());
        for (Map<String, Object> precondition : action.preconditions()) {
            line("     precondition: %s", precondition(precondition));
        }
        change(action);
        for (Object check : action.verify()) {
            line("     verify: %s", check instanceof Map<?, ?> map ? check(map) : check);
        }
    }

    private void change(PlannedAction action) {
        Map<String, Object> change = action.change();
        if (change == null || change.isEmpty()) {
            return;
        }
        if (change.get("diff") instanceof String diff) {
            line("     change:");
            diff.lines()
                    .forEach(l -> line(
                            "       %s",
                            l.startsWith("+") && !l.startsWith("+++")
                                    ? style("green", l)
                                    : l.startsWith("-") && !l.startsWith("---") ? style("red", l) : l));
        } else if (action.type() == ActionType.Manual) {
            line("     do: %s", change.get("instructions"));
            if (change.get("verify") != null) {
                line("     check: %s", change.get("verify"));
            }
        } else if (action.type() == ActionType.ScaleWorkload) {
            line("     change: replicas %s -> %s", change.getOrDefault("from", "?"), change.get("replicas"));
        } else {
            line("     change: %s", change);
        }
    }

    private void unresolved(List<RemediationPlan.Unresolved> unresolved) {
        line("");
        line(style("bold", "Unresolved") + " (%d)", unresolved.size());
        for (RemediationPlan.Unresolved item : unresolved) {
            line("  [%s] %s", item.finding(), item.reason());
            if (item.instructions() != null) {
                line("       do: %s", item.instructions());
            }
            if (item.verify() != null) {
                line("       check: %s", item.verify());
            }
        }
    }

    /** A verification check as a phrase: its name, then its arguments, objects by kind and name. */
    private static String check(Map<?, ?> check) {
        StringBuilder text = new StringBuilder(String.valueOf(check.get("check")));
        check.forEach((key, value) -> {
            if (!"check".equals(key)) {
                text.append(' ')
                        .append(key)
                        .append(' ')
                        .append(
                                value instanceof Map<?, ?> ref && ref.containsKey("name")
                                        ? ref.get("kind") + " "
                                                + (ref.get("namespace") == null ? "" : ref.get("namespace") + "/")
                                                + ref.get("name")
                                        : value);
            }
        });
        return text.toString();
    }

    private static String where(PlannedAction action) {
        if (action.path() != null) {
            return action.node() + ":" + action.path();
        }
        if (action.target() != null) {
            return action.target().toString();
        }
        return action.node() == null ? "" : action.node();
    }

    private static String precondition(Map<String, Object> precondition) {
        return precondition.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private String severity(Finding finding) {
        String text = String.format("%-8s", finding.severity().yaml());
        return switch (finding.severity()) {
            case CRITICAL -> style("red,bold", text);
            case WARNING -> style("yellow", text);
            case INFO -> text;
        };
    }

    private String style(String styles, String text) {
        return ansi.string("@|" + styles + " " + text.replace("|@", "| @") + "|@");
    }

    private static String abbreviate(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length()));
    }

    private void line(String format, Object... args) {
        out.append(args.length == 0 ? format : String.format(format, args)).append('\n');
    }
}
