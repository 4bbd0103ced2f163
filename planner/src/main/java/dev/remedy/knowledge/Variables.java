package dev.remedy.knowledge;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The variables the expressions of a scenario see on one item ({@code subject}, {@code cluster}, {@code item}, as
 * CEL values), with the values of the expressions that read only {@code cluster}, which the items matched together
 * (a block of a collection, on one thread) share: the cluster is the same for all of them, so each such expression
 * is evaluated once per block, not once per finding. At 5,000 nodes kubelet-version-skew fires on 1,963 nodes, and
 * each finding renders the nodes per kubelet version (a comprehension over the cluster's versions) and the
 * control-plane version five times.
 */
final class Variables extends AbstractMap<String, Object> {

    private final Map<String, Object> values;
    private final Map<Expression, Object> clusterValues;

    private Variables(Map<String, Object> values, Map<Expression, Object> clusterValues) {
        this.values = values;
        this.clusterValues = clusterValues;
    }

    /** The variables of one item, sharing {@code clusterValues} (from {@link #clusterValues()}) with the others. */
    static Variables of(Object subject, Object cluster, Object item, Map<Expression, Object> clusterValues) {
        // A table sized for the three: one map per item that passes a filter, tens of thousands a plan, and the
        // default table is four times the size.
        Map<String, Object> values = HashMap.newHashMap(3);
        values.put(CelEnvironment.SUBJECT, subject);
        values.put(CelEnvironment.CLUSTER, cluster);
        values.put(CelEnvironment.ITEM, item);
        return new Variables(values, clusterValues);
    }

    /** An empty table of values of the expressions that read only {@code cluster}, for one block of items. */
    static Map<Expression, Object> clusterValues() {
        return new IdentityHashMap<>();
    }

    /** These variables with {@code name} bound to {@code value}, sharing the cluster-only values. */
    Variables with(String name, Object value) {
        Map<String, Object> copy = new HashMap<>(values);
        copy.put(name, value);
        return new Variables(copy, clusterValues);
    }

    /** The value of {@code expression}, which reads only {@code cluster}: evaluated on the first item that asks. */
    Object clusterValue(Expression expression) {
        Object value = clusterValues.get(expression);
        if (value == null) {
            value = expression.evaluateNow(this);
            clusterValues.put(expression, value);
        }
        return value;
    }

    @Override
    public Object get(Object key) {
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }
}
