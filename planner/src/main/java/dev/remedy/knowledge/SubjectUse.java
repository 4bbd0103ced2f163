package dev.remedy.knowledge;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * How an expression reads {@code subject}: the top-level fields it selects ({@code subject.phase},
 * {@code has(subject.imagePull)}), the fields its top-level conjunction requires with {@code has(...)},
 * without which it is false whatever else holds, those it requires non-empty with {@code size(...) > 0}, and those
 * it compares with a constant ({@link Comparison}). An expression that uses {@code subject} any other way (as a
 * whole value, by index, with {@code .?}) reads it {@code whole}. The matcher converts only the fields a
 * condition reads, and skips the items that lack a required field, hold it empty or fail a comparison: at 150,000
 * pods, converting each one in full for conditions that read three of its fields cost more than evaluating them,
 * and most of the nodes, kubelets, Services and budgets fail the first comparison of the conditions on them. (CEL's
 * {@code &&} is false when any side is false, even if another side is an error, so skipping is exact.)
 */
public record SubjectUse(
        boolean whole, Set<String> fields, Set<String> required, Set<String> nonEmpty, List<Comparison> comparisons) {

    /** What the matcher assumes of an expression it cannot analyse: that it reads all of the subject. */
    public static final SubjectUse WHOLE = new SubjectUse(true, Set.of(), Set.of(), Set.of(), List.of());

    /** The comparison functions a conjunct may apply to a field and a constant, with their results on an ordering. */
    private static final Map<String, IntPredicate> OPERATORS = Map.of(
            "_==_", order -> order == 0,
            "_!=_", order -> order != 0,
            "_<_", order -> order < 0,
            "_<=_", order -> order <= 0,
            "_>_", order -> order > 0,
            "_>=_", order -> order >= 0);

    /** Each operator with its sides swapped: {@code 0 < subject.f} is {@code subject.f > 0}. */
    private static final Map<String, String> SWAPPED =
            Map.of("_==_", "_==_", "_!=_", "_!=_", "_<_", "_>_", "_<=_", "_>=_", "_>_", "_<_", "_>=_", "_<=_");

    /**
     * A conjunct that compares a field with a bool or int constant: {@code subject.blocksAll} (compared with true),
     * {@code !subject.ready} (with false), {@code subject.matchingPods == 0}, {@code subject.count > 0}. It is false
     * on an item whose field holds a value of the constant's type that fails the comparison; on any other value
     * (none, a double, a string) CEL decides.
     */
    public record Comparison(String field, String operator, Object constant) {

        /** Whether the conjunct is false on an item whose field holds {@code value}, a plain fact. */
        boolean refutedBy(Object value) {
            int order;
            if (constant instanceof Boolean bool && value instanceof Boolean b) {
                order = Boolean.compare(b, bool);
            } else if (constant instanceof Long number && isCelInt(value)) {
                order = Long.compare(((Number) value).longValue(), number);
            } else {
                return false;
            }
            return !OPERATORS.get(operator).test(order);
        }

        /** Whether {@link Values#toCel} makes {@code value} a CEL int. */
        private static boolean isCelInt(Object value) {
            return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
        }
    }

    public static SubjectUse of(CelAbstractSyntaxTree ast) {
        Set<String> fields = new TreeSet<>();
        if (!collect(ast.getExpr(), fields)) {
            return WHOLE;
        }
        Set<String> required = new TreeSet<>();
        Set<String> nonEmpty = new TreeSet<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (CelExpr conjunct : conjuncts(ast.getExpr())) {
            subjectField(conjunct).filter(f -> conjunct.select().testOnly()).ifPresent(required::add);
            sizedAboveZero(conjunct).ifPresent(nonEmpty::add);
            comparison(conjunct).ifPresent(comparisons::add);
        }
        return new SubjectUse(
                false,
                Collections.unmodifiableSet(fields),
                Collections.unmodifiableSet(required),
                Collections.unmodifiableSet(nonEmpty),
                List.copyOf(comparisons));
    }

    /**
     * Whether {@code item} has every required field, no field required non-empty is an empty list, map or string,
     * and no comparison is refuted by its field, so that the condition may hold on it.
     */
    public boolean mayHold(Map<String, Object> item) {
        return itemFilter().test(item);
    }

    /**
     * {@link #mayHold} for a pass over many items, with the fields in arrays: iterating the sets cost two iterators
     * per item, and a collection may hold 150,000 items that each scenario on it tests.
     */
    public Predicate<Map<String, Object>> itemFilter() {
        String[] requiredFields = required.toArray(String[]::new);
        String[] nonEmptyFields = nonEmpty.toArray(String[]::new);
        Comparison[] comparedFields = comparisons.toArray(Comparison[]::new);
        return item -> mayHold(item, requiredFields, nonEmptyFields, comparedFields);
    }

    private static boolean mayHold(
            Map<String, Object> item, String[] required, String[] nonEmpty, Comparison[] comparisons) {
        for (String field : required) {
            if (item.get(field) == null) {
                return false;
            }
        }
        for (String field : nonEmpty) {
            Object value = item.get(field);
            if (value instanceof Collection<?> c && c.isEmpty()
                    || value instanceof Map<?, ?> m && m.isEmpty()
                    || value instanceof CharSequence text && text.isEmpty()) {
                return false;
            }
        }
        for (Comparison comparison : comparisons) {
            if (comparison.refutedBy(item.get(comparison.field()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The comparison {@code expr} makes, if it is one: a field alone or negated ({@code subject.f},
     * {@code !subject.f}), or a field compared with a bool or int constant on either side.
     */
    private static Optional<Comparison> comparison(CelExpr expr) {
        if (isField(expr)) {
            return Optional.of(new Comparison(expr.select().field(), "_==_", true));
        }
        if (expr.getKind() != CelExpr.ExprKind.Kind.CALL || expr.call().target().isPresent()) {
            return Optional.empty();
        }
        String function = expr.call().function();
        List<CelExpr> args = expr.call().args();
        if (function.equals("!_") && args.size() == 1 && isField(args.get(0))) {
            return Optional.of(new Comparison(args.get(0).select().field(), "_==_", false));
        }
        if (!OPERATORS.containsKey(function) || args.size() != 2) {
            return Optional.empty();
        }
        if (isField(args.get(0))) {
            return constant(args.get(1))
                    .map(c -> new Comparison(args.get(0).select().field(), function, c));
        }
        if (isField(args.get(1))) {
            return constant(args.get(0))
                    .map(c -> new Comparison(args.get(1).select().field(), SWAPPED.get(function), c));
        }
        return Optional.empty();
    }

    /** Whether {@code expr} reads a subject field's value ({@code subject.f}, not {@code has(subject.f)}). */
    private static boolean isField(CelExpr expr) {
        return subjectField(expr).isPresent() && !expr.select().testOnly();
    }

    /** The value of a bool or int constant, as CEL holds it. */
    private static Optional<Object> constant(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            return Optional.empty();
        }
        return switch (expr.constant().getKind()) {
            case BOOLEAN_VALUE -> Optional.of(expr.constant().booleanValue());
            case INT64_VALUE -> Optional.of(expr.constant().int64Value());
            default -> Optional.empty();
        };
    }

    /** The field of {@code size(subject.f) > 0} or {@code subject.f.size() > 0}, if {@code expr} is one. */
    private static Optional<String> sizedAboveZero(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CALL
                || !expr.call().function().equals("_>_")
                || expr.call().args().size() != 2) {
            return Optional.empty();
        }
        CelExpr size = expr.call().args().get(0);
        CelExpr zero = expr.call().args().get(1);
        if (zero.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || zero.constant().getKind() != CelConstant.Kind.INT64_VALUE
                || zero.constant().int64Value() != 0
                || size.getKind() != CelExpr.ExprKind.Kind.CALL
                || !size.call().function().equals("size")) {
            return Optional.empty();
        }
        List<CelExpr> operands = new ArrayList<>(size.call().args());
        size.call().target().ifPresent(operands::add);
        return operands.size() == 1 ? subjectField(operands.get(0)) : Optional.empty();
    }

    /** Adds the subject fields {@code expr} selects; false when it uses the subject otherwise. */
    private static boolean collect(CelExpr expr, Set<String> fields) {
        switch (expr.getKind()) {
            case IDENT -> {
                String name = expr.ident().name();
                return !name.equals(CelEnvironment.SUBJECT) && !name.startsWith(CelEnvironment.SUBJECT + ".");
            }
            case SELECT -> {
                if (isSubject(expr.select().operand())) {
                    fields.add(expr.select().field());
                    return true;
                }
                return collect(expr.select().operand(), fields);
            }
            case CALL -> {
                if (expr.call().target().isPresent()
                        && !collect(expr.call().target().get(), fields)) {
                    return false;
                }
                return expr.call().args().stream().allMatch(a -> collect(a, fields));
            }
            case LIST -> {
                return expr.list().elements().stream().allMatch(e -> collect(e, fields));
            }
            case MAP -> {
                return expr.map().entries().stream()
                        .allMatch(e -> collect(e.key(), fields) && collect(e.value(), fields));
            }
            case STRUCT -> {
                return expr.struct().entries().stream().allMatch(e -> collect(e.value(), fields));
            }
            case COMPREHENSION -> {
                var loop = expr.comprehension();
                // A loop variable named subject would hide the subject inside the loop; not worth telling apart.
                if (CelEnvironment.SUBJECT.equals(loop.iterVar())
                        || CelEnvironment.SUBJECT.equals(loop.iterVar2())
                        || CelEnvironment.SUBJECT.equals(loop.accuVar())) {
                    return false;
                }
                return collect(loop.iterRange(), fields)
                        && collect(loop.accuInit(), fields)
                        && collect(loop.loopCondition(), fields)
                        && collect(loop.loopStep(), fields)
                        && collect(loop.result(), fields);
            }
            case CONSTANT -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static List<CelExpr> conjuncts(CelExpr expr) {
        List<CelExpr> conjuncts = new ArrayList<>();
        if (expr.getKind() == CelExpr.ExprKind.Kind.CALL
                && expr.call().target().isEmpty()
                && expr.call().function().equals("_&&_")) {
            expr.call().args().forEach(a -> conjuncts.addAll(conjuncts(a)));
        } else {
            conjuncts.add(expr);
        }
        return conjuncts;
    }

    private static Optional<String> subjectField(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.SELECT
                        && isSubject(expr.select().operand())
                ? Optional.of(expr.select().field())
                : Optional.empty();
    }

    private static boolean isSubject(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.IDENT
                && expr.ident().name().equals(CelEnvironment.SUBJECT);
    }
}
