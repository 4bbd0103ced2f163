package dev.remedy.knowledge;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled CEL expression and where it was written, so that an evaluation error can name its source, with
 * how it reads the subject and whether it reads no variable but {@code cluster} ({@link Variables}).
 */
public record Expression(
        String source,
        String file,
        int line,
        CelRuntime.Program program,
        SubjectUse subjectUse,
        boolean readsOnlyCluster) {

    public Object evaluate(Map<String, ?> variables) {
        if (readsOnlyCluster && variables instanceof Variables shared) {
            return shared.clusterValue(this);
        }
        return evaluateNow(variables);
    }

    /** {@link #evaluate}, never from the values a match shares. */
    Object evaluateNow(Map<String, ?> variables) {
        try {
            return CelEnvironment.evaluate(program, variables);
        } catch (CelEvaluationException e) {
            throw new KnowledgeBaseException("The expression (" + source + ") in " + file + " line " + line
                    + " failed: " + e.getMessage() + ". Maybe guard optional facts with has(...).");
        }
    }

    public boolean test(Map<String, ?> variables) {
        Object value = evaluate(variables);
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new KnowledgeBaseException("The condition (" + source + ") in " + file + " line " + line + " returned "
                + value + ", not a bool. Maybe compare it with a value.");
    }
}
