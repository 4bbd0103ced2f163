package dev.remedy.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled value of a scenario file. Strings may hold {@code ${expr}} CEL templates: a string that is one
 * template yields the expression's value with its type (a number, a list, a map); a string with text around
 * templates yields the text with each value written in. Maps and lists are compiled element by element.
 */
public sealed interface Template {

    Object render(Map<String, ?> variables);

    /** A value without templates. */
    record Literal(Object value) implements Template {
        @Override
        public Object render(Map<String, ?> variables) {
            return value;
        }
    }

    /** A string that is exactly one {@code ${expr}}. */
    record Whole(Expression expression) implements Template {
        @Override
        public Object render(Map<String, ?> variables) {
            return Values.toPlain(expression.evaluate(variables));
        }
    }

    /** Text with {@code ${expr}} parts written in. */
    record Interpolated(List<Object> parts) implements Template {
        @Override
        public Object render(Map<String, ?> variables) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Expression expression) {
                    text.append(Values.format(Values.toPlain(expression.evaluate(variables))));
                } else {
                    text.append(part);
                }
            }
            return text.toString();
        }
    }

    /** A map whose values are templates; keys are literal. Null values are left out of the result. */
    record MapTemplate(Map<String, Template> entries) implements Template {
        @Override
        public Object render(Map<String, ?> variables) {
            Map<String, Object> result = new LinkedHashMap<>();
            entries.forEach((key, template) -> {
                Object value = template.render(variables);
                if (value != null) {
                    result.put(key, value);
                }
            });
            return result;
        }
    }

    /** A list whose elements are templates. */
    record ListTemplate(List<Template> elements) implements Template {
        @Override
        public Object render(Map<String, ?> variables) {
            List<Object> result = new ArrayList<>();
            for (Template element : elements) {
                result.add(element.render(variables));
            }
            return result;
        }
    }
}
