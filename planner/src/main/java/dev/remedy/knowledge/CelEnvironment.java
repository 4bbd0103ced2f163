package dev.remedy.knowledge;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment of the knowledge base: the variables a scenario's expressions see ({@code subject}, the
 * derived fact being matched; {@code cluster}, the cluster-wide derived facts; {@code item}, the element of a
 * {@code forEach}) and the extension libraries they may use, as in Kubernetes' own CEL (strings, lists,
 * math, sets).
 */
public final class CelEnvironment {

    public static final String SUBJECT = "subject";
    public static final String CLUSTER = "cluster";
    public static final String ITEM = "item";

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .build();

    private final Cel cel = CelFactory.standardCelBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(SUBJECT, SimpleType.DYN)
            .addVar(CLUSTER, SimpleType.DYN)
            .addVar(ITEM, SimpleType.DYN)
            .addCompilerLibraries(
                    CelExtensions.strings(),
                    CelExtensions.lists(),
                    CelExtensions.math(OPTIONS),
                    CelExtensions.sets(OPTIONS),
                    CelExtensions.optional())
            .addRuntimeLibraries(
                    CelExtensions.strings(),
                    CelExtensions.lists(),
                    CelExtensions.math(OPTIONS),
                    CelExtensions.sets(OPTIONS),
                    CelExtensions.optional())
            .build();

    /** Compiles {@code source}; a syntax or type error is returned as the message, never thrown. */
    public Compiled compile(String source) {
        try {
            CelAbstractSyntaxTree ast = cel.compile(source).getAst();
            return new Compiled(cel.createProgram(ast), null, SubjectUse.of(ast), readsOnlyCluster(ast.getExpr()));
        } catch (CelValidationException e) {
            return new Compiled(
                    null,
                    e.getErrors().isEmpty()
                            ? e.getMessage()
                            : e.getErrors().get(0).getMessage(),
                    SubjectUse.WHOLE,
                    false);
        } catch (CelEvaluationException e) {
            return new Compiled(null, e.getMessage(), SubjectUse.WHOLE, false);
        }
    }

    /**
     * Whether {@code expr} names neither {@code subject} nor {@code item}, so that its value depends on
     * {@code cluster} alone. A loop variable named either counts as the variable: not worth telling apart.
     */
    private static boolean readsOnlyCluster(CelExpr expr) {
        return switch (expr.getKind()) {
            case IDENT ->
                !names(expr.ident().name(), SUBJECT) && !names(expr.ident().name(), ITEM);
            case SELECT -> readsOnlyCluster(expr.select().operand());
            case CALL ->
                expr.call().target().map(CelEnvironment::readsOnlyCluster).orElse(true)
                        && expr.call().args().stream().allMatch(CelEnvironment::readsOnlyCluster);
            case LIST -> expr.list().elements().stream().allMatch(CelEnvironment::readsOnlyCluster);
            case MAP ->
                expr.map().entries().stream().allMatch(e -> readsOnlyCluster(e.key()) && readsOnlyCluster(e.value()));
            case STRUCT -> expr.struct().entries().stream().allMatch(e -> readsOnlyCluster(e.value()));
            case COMPREHENSION -> {
                var loop = expr.comprehension();
                yield readsOnlyCluster(loop.iterRange())
                        && readsOnlyCluster(loop.accuInit())
                        && readsOnlyCluster(loop.loopCondition())
                        && readsOnlyCluster(loop.loopStep())
                        && readsOnlyCluster(loop.result());
            }
            case CONSTANT -> true;
            default -> false;
        };
    }

    private static boolean names(String ident, String variable) {
        return ident.equals(variable) || ident.startsWith(variable + ".");
    }

    /**
     * The result of compiling one expression: a program, how it reads the subject and whether it reads only
     * {@code cluster}, or the first error.
     */
    public record Compiled(CelRuntime.Program program, String error, SubjectUse subjectUse, boolean readsOnlyCluster) {
        public boolean ok() {
            return program != null;
        }
    }

    /**
     * Evaluates with the variables looked up in {@code variables} as the program reads them. Given the map itself,
     * CEL copies it into an immutable map through a stream on every evaluation, tens of thousands of times a plan;
     * the values are CEL values already ({@link Values#toCel}), so nothing is lost by not copying them.
     */
    static Object evaluate(CelRuntime.Program program, Map<String, ?> variables) throws CelEvaluationException {
        return program.eval(name -> Optional.ofNullable(variables.get(name)));
    }
}
