package dev.remedy.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles {@link TemplateNode}s of one scenario file into {@link Template}s, failing with the file and line. */
final class TemplateCompiler {

    private final CelEnvironment environment;
    private final String file;

    TemplateCompiler(CelEnvironment environment, String file) {
        this.environment = environment;
        this.file = file;
    }

    Expression expression(String source, int line) {
        CelEnvironment.Compiled compiled = environment.compile(source);
        if (!compiled.ok()) {
            throw new KnowledgeBaseException("The knowledge-base file (" + file + ") line " + line
                    + ": the CEL expression (" + source.strip().replaceAll("\\s+", " ") + ") does not compile: "
                    + compiled.error().strip().replaceAll("\\s+", " ")
                    + ". Maybe check the field names against `kubectl remedy scenarios facts`.");
        }
        return new Expression(
                source.strip(), file, line, compiled.program(), compiled.subjectUse(), compiled.readsOnlyCluster());
    }

    Template compile(TemplateNode node) {
        if (node == null) {
            return new Template.Literal(null);
        }
        Object value = node.value();
        if (value instanceof String text) {
            return string(text, node.line());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Template> entries = new LinkedHashMap<>();
            map.forEach((key, child) -> entries.put((String) key, compile((TemplateNode) child)));
            return new Template.MapTemplate(entries);
        }
        if (value instanceof List<?> list) {
            List<Template> elements = new ArrayList<>();
            list.forEach(child -> elements.add(compile((TemplateNode) child)));
            return new Template.ListTemplate(elements);
        }
        return new Template.Literal(value);
    }

    Template string(String text, int line) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int start = text.indexOf("${", at);
            if (start < 0) {
                break;
            }
            int end = closingBrace(text, start + 2, line);
            if (start > at) {
                parts.add(text.substring(at, start));
            }
            parts.add(expression(text.substring(start + 2, end), line));
            at = end + 1;
        }
        if (parts.isEmpty()) {
            return new Template.Literal(text);
        }
        if (at < text.length()) {
            parts.add(text.substring(at));
        }
        if (parts.size() == 1 && parts.get(0) instanceof Expression whole) {
            return new Template.Whole(whole);
        }
        return new Template.Interpolated(parts);
    }

    /** The index of the brace that closes a template, skipping braces inside CEL string literals and maps. */
    private int closingBrace(String text, int from, int line) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        throw new KnowledgeBaseException("The knowledge-base file (" + file + ") line " + line + ": the template ("
                + text.strip() + ") has a ${ without its closing }. Maybe add the }.");
    }
}
