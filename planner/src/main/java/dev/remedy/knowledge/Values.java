package dev.remedy.knowledge;

import com.google.protobuf.NullValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Converts between plain Java values (facts, plan fields) and the values CEL works with. */
public final class Values {

    private Values() {}

    /**
     * The CEL form of a plain value: integers as {@code Long}, floats as {@code Double}, maps and lists copied
     * recursively; nulls are dropped from maps so that {@code has(x.field)} tells whether a fact is known.
     */
    public static Object toCel(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    result.put(String.valueOf(k), toCel(v));
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>(list.size());
            list.forEach(v -> result.add(toCel(v)));
            return result;
        }
        return value;
    }

    /** The plain form of a CEL result: CEL null and empty optionals become Java null. */
    public static Object toPlain(Object value) {
        if (value instanceof NullValue) {
            return null;
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(Values::toPlain).orElse(null);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object plain = toPlain(v);
                if (plain != null) {
                    result.put(String.valueOf(k), plain);
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>(list.size());
            list.forEach(v -> result.add(toPlain(v)));
            return result;
        }
        return value;
    }

    /** A value as a person reads it in a sentence: whole doubles without ".0", lists comma-separated. */
    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            if (d == Math.rint(d) && !d.isInfinite()) {
                return Long.toString(d.longValue());
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(v -> parts.add(format(v)));
            return String.join(", ", parts);
        }
        return String.valueOf(value);
    }
}
