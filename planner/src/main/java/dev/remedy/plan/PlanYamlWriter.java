package dev.remedy.plan;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a plan as YAML with the same bytes as {@link PlanYaml}'s Jackson writer, several times faster: Jackson
 * hands every scalar to SnakeYAML, which analyses it character by character (code points, indicators, spaces,
 * breaks) to choose a style, and a large plan holds hundreds of thousands of scalars. Here the block structure
 * (kubectl's list style) is written directly, and each scalar is either
 * <ul>
 *   <li>one that is plain by construction ({@link #plainAsIs}: a letter or slash first, then only letters, digits,
 *       {@code - . _ / ( )} and single inner spaces, and not a short word that YAML may read as a boolean or
 *       null), written as it is;
 *   <li>one of printable ASCII that Jackson's quoting checker quotes ({@link #quotedAsIs}), written in double
 *       quotes with {@code "} and {@code \\} escaped; or
 *   <li>any other, rendered once per distinct text by the Jackson writer itself (as the value, or the key, of a
 *       one-entry mapping) and that rendering reused, re-indented when it is a block scalar.
 * </ul>
 * A plan holding anything this writer does not know (a type other than the plan's records, strings, whole numbers,
 * booleans, lists and maps; an empty or null value inside a map or list; a list in a list) is written by Jackson
 * whole: {@link #write} returns null. PlanYamlWriterTest compares both writers on every golden plan and on strings
 * built to be awkward.
 */
final class PlanYamlWriter {

    /** A plan this writer does not know how to write exactly; Jackson writes it. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final Unsupported UNSUPPORTED = new Unsupported();
    private static final StringQuotingChecker QUOTING = StringQuotingChecker.Default.instance();

    private final StringBuilder out;
    private final Function<Object, String> jackson;
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> keys = new HashMap<>();

    private PlanYamlWriter(int capacity, Function<Object, String> jackson) {
        this.out = new StringBuilder(capacity);
        this.jackson = jackson;
    }

    /**
     * The plan as YAML, or null when it holds something this writer leaves to Jackson. {@code jackson} writes a
     * value as the Jackson writer does (a one-entry map, here), for the scalars that are not plain by construction.
     */
    static String write(RemediationPlan plan, Function<Object, String> jackson) {
        int actions = plan.spec() == null
                ? 0
                : plan.spec().waves().stream().mapToInt(w -> w.actions().size()).sum();
        PlanYamlWriter writer = new PlanYamlWriter(4096 + 1024 * actions, jackson);
        try {
            writer.plan(plan);
        } catch (Unsupported e) {
            return null;
        }
        return writer.out.toString();
    }

    private void plan(RemediationPlan plan) {
        // The plan and its metadata include every field, null or empty (Jackson writes null as "null"): that
        // is left to Jackson.
        RemediationPlan.Metadata metadata = plan.metadata();
        RemediationPlan.Spec spec = plan.spec();
        if (plan.apiVersion() == null
                || plan.kind() == null
                || metadata == null
                || metadata.name() == null
                || metadata.creationTimestamp() == null
                || spec == null) {
            throw UNSUPPORTED;
        }
        Fields fields = new Fields(0, false);
        fields.always("apiVersion", plan.apiVersion());
        fields.always("kind", plan.kind());
        Fields meta = fields.mapping("metadata");
        meta.always("name", metadata.name());
        meta.always("creationTimestamp", metadata.creationTimestamp());
        meta.end();
        Fields specFields = fields.mapping("spec");
        source(specFields, spec.source());
        if (!spec.findings().isEmpty()) {
            int indent = specFields.sequence("findings");
            for (Finding finding : spec.findings()) {
                finding(item(indent), finding);
            }
        }
        if (!spec.waves().isEmpty()) {
            int indent = specFields.sequence("waves");
            for (Wave wave : spec.waves()) {
                Fields waveFields = item(indent);
                waveFields.scalar("index", wave.index());
                if (!wave.actions().isEmpty()) {
                    int actionIndent = waveFields.sequence("actions");
                    for (PlannedAction action : wave.actions()) {
                        action(item(actionIndent), action);
                    }
                }
                waveFields.end();
            }
        }
        if (!spec.unresolved().isEmpty()) {
            int indent = specFields.sequence("unresolved");
            for (RemediationPlan.Unresolved unresolved : spec.unresolved()) {
                Fields item = item(indent);
                item.string("finding", unresolved.finding());
                item.string("reason", unresolved.reason());
                item.string("instructions", unresolved.instructions());
                item.string("verify", unresolved.verify());
                item.end();
            }
        }
        specFields.end();
    }

    private void source(Fields spec, RemediationPlan.Source source) {
        if (source == null) {
            return;
        }
        Fields fields = spec.mapping("source");
        fields.string("snapshot", source.snapshot());
        fields.string("context", source.context());
        fields.string("fingerprint", source.fingerprint());
        fields.string("collectedAt", source.collectedAt());
        if (source.partial() != null) {
            fields.scalar("partial", source.partial());
        }
        fields.strings("notes", source.notes());
        fields.end();
    }

    private void finding(Fields fields, Finding finding) {
        fields.string("id", finding.id());
        fields.string("scenario", finding.scenario());
        fields.string(
                "severity",
                finding.severity() == null ? null : finding.severity().yaml());
        objectRef(fields, "subject", finding.subject());
        fields.string("summary", finding.summary());
        fields.strings("evidence", finding.evidence());
        if (!finding.alternatives().isEmpty()) {
            int indent = fields.sequence("alternatives");
            for (Finding.Alternative alternative : finding.alternatives()) {
                Fields item = item(indent);
                item.string("remedy", alternative.remedy());
                item.string("title", alternative.title());
                item.string(
                        "risk",
                        alternative.risk() == null ? null : alternative.risk().yaml());
                item.scalar("chosen", alternative.chosen());
                item.string("notApplicable", alternative.notApplicable());
                item.end();
            }
        }
        fields.end();
    }

    private void action(Fields fields, PlannedAction action) {
        fields.string("id", action.id());
        fields.string("type", action.type() == null ? null : action.type().name());
        fields.string("node", action.node());
        fields.string("path", action.path());
        objectRef(fields, "target", action.target());
        if (action.change() != null && !action.change().isEmpty()) {
            fields.key("change");
            map(action.change(), fields.indent + 2);
        }
        if (!action.preconditions().isEmpty()) {
            fields.key("preconditions");
            list(action.preconditions(), fields.indent);
        }
        fields.strings("after", action.after());
        fields.strings("resolves", action.resolves());
        fields.string("risk", action.risk() == null ? null : action.risk().yaml());
        fields.string("rationale", action.rationale());
        if (!action.verify().isEmpty()) {
            fields.key("verify");
            list(action.verify(), fields.indent);
        }
        fields.end();
    }

    private void objectRef(Fields fields, String name, ObjectRef ref) {
        if (ref != null) {
            objectRef(fields.mapping(name), ref);
        }
    }

    private void objectRef(Fields fields, ObjectRef ref) {
        fields.string("kind", ref.kind());
        fields.string("namespace", ref.namespace());
        fields.string("name", ref.name());
        fields.string("node", ref.node());
        fields.end();
    }

    /** A map's entries on the lines after its key (just written), at {@code indent}. */
    private void map(Map<?, ?> map, int indent) {
        out.append('\n');
        entries(new Fields(indent, false), map);
    }

    private void entries(Fields fields, Map<?, ?> map) {
        if (map.isEmpty()) {
            throw UNSUPPORTED;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw UNSUPPORTED;
            }
            fields.key(key);
            value(entry.getValue(), fields.indent);
        }
        fields.end();
    }

    /** A list's items on the lines after its key (just written): kubectl's style, at the key's own indent. */
    private void list(List<?> list, int indent) {
        out.append('\n');
        if (list.isEmpty()) {
            throw UNSUPPORTED;
        }
        for (Object item : list) {
            if (item instanceof Map<?, ?> map) {
                entries(item(indent), map);
            } else if (item instanceof ObjectRef ref) {
                objectRef(item(indent), ref);
            } else if (item instanceof List<?>) {
                throw UNSUPPORTED;
            } else {
                indent(indent);
                out.append('-');
                scalar(item, indent);
            }
        }
    }

    /** Starts a list item that is a mapping: its {@code -} at {@code indent}, its fields 2 further in. */
    private Fields item(int indent) {
        indent(indent);
        out.append('-');
        return new Fields(indent + 2, true);
    }

    /** A value after its key (just written) in a mapping at {@code indent}. */
    private void value(Object value, int indent) {
        if (value instanceof Map<?, ?> map) {
            map(map, indent + 2);
        } else if (value instanceof List<?> list) {
            list(list, indent);
        } else if (value instanceof ObjectRef ref) {
            out.append('\n');
            objectRef(new Fields(indent + 2, false), ref);
        } else {
            scalar(value, indent);
        }
    }

    /** A scalar after {@code key:} or {@code -}, in a mapping or list at {@code indent}, and its line's end. */
    private void scalar(Object value, int indent) {
        if (value instanceof String text) {
            string(text, indent);
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(' ').append(value).append('\n');
        } else if (value instanceof Boolean flag) {
            out.append(' ').append(flag.booleanValue()).append('\n');
        } else {
            throw UNSUPPORTED;
        }
    }

    private void string(String text, int indent) {
        if (plainAsIs(text)) {
            out.append(' ').append(text).append('\n');
            return;
        }
        if (quotedAsIs(text)) {
            out.append(" \"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append("\"\n");
            return;
        }
        String rendered = values.computeIfAbsent(text, this::renderValue);
        if (rendered.charAt(rendered.length() - 1) != '\n') {
            out.append(' ').append(rendered).append('\n');
            return;
        }
        // A block scalar: its header line, then its lines as rendered at indent 2, each shifted to this indent.
        // Empty lines stay empty, as SnakeYAML writes them.
        int header = rendered.indexOf('\n');
        out.append(' ').append(rendered, 0, header + 1);
        int start = header + 1;
        while (start < rendered.length()) {
            int end = rendered.indexOf('\n', start) + 1;
            if (end - start > 1) {
                indent(indent);
            }
            out.append(rendered, start, end);
            start = end;
        }
    }

    /**
     * How the Jackson writer writes {@code text} as a value: the part after {@code "k: "} of a one-entry mapping,
     * without its last line break when it is one line; with its line breaks (and lines at indent 2) when it is a
     * block scalar.
     */
    private String renderValue(String text) {
        String rendered = jackson.apply(Map.of("k", text));
        if (!rendered.startsWith("k: ") || !rendered.endsWith("\n") || hasOtherBreak(rendered)) {
            throw UNSUPPORTED;
        }
        int firstBreak = rendered.indexOf('\n');
        if (firstBreak == rendered.length() - 1) {
            return rendered.substring(3, firstBreak);
        }
        char style = rendered.charAt(3);
        if (style != '|' && style != '>') {
            throw UNSUPPORTED;
        }
        return rendered.substring(3);
    }

    /**
     * Whether SnakeYAML may have broken a line of {@code rendered} at a break other than {@code \n}, and indented
     * the next to the depth it was rendered at.
     */
    private static boolean hasOtherBreak(String rendered) {
        for (int i = 0; i < rendered.length(); i++) {
            char c = rendered.charAt(i);
            if (c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private String renderKey(String key) {
        String rendered = jackson.apply(Map.of(key, 1));
        if (!rendered.endsWith(": 1\n")
                || hasOtherBreak(rendered)
                || rendered.indexOf('\n') != rendered.length() - 1
                || rendered.startsWith("?")) {
            throw UNSUPPORTED;
        }
        return rendered.substring(0, rendered.length() - ": 1\n".length());
    }

    /**
     * Whether YAML reads {@code text} back as the same string when it is written plain, and both Jackson (which
     * quotes what could be a number, a boolean or null, or holds an indicator) and SnakeYAML (which checks for
     * indicators, spaces at either end and breaks) therefore write it plain: a letter or slash first (no number, no
     * indicator), then letters, digits, {@code - . _ / ( )} and single spaces between them (no {@code ": "}, no
     * {@code " #"}, no space at an end). Words of up to five letters are left to Jackson: {@code yes}, {@code Off},
     * {@code NULL} and their like are quoted.
     */
    static boolean plainAsIs(String text) {
        int length = text.length();
        if (length == 0) {
            return false;
        }
        char first = text.charAt(0);
        if (!(isLetter(first) || first == '/')) {
            return false;
        }
        boolean lettersOnly = isLetter(first);
        char previous = first;
        for (int i = 1; i < length; i++) {
            char c = text.charAt(i);
            if (isLetter(c)) {
                previous = c;
                continue;
            }
            lettersOnly = false;
            if (!((c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '/'
                    || c == '('
                    || c == ')'
                    || (c == ' ' && previous != ' '))) {
                return false;
            }
            previous = c;
        }
        return previous != ' ' && !(lettersOnly && length <= 5);
    }

    /**
     * Whether Jackson writes {@code text} double-quoted and SnakeYAML escapes nothing in it but {@code "} and
     * {@code \\}: Jackson double-quotes a one-line value when its quoting checker (the factory's default, which
     * {@link PlanYaml} keeps) says so, and SnakeYAML then writes it as it is asked (it never splits a line, as
     * {@link PlanYaml} disables that), escaping only those two among the printable ASCII characters.
     */
    private static boolean quotedAsIs(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return !text.isEmpty() && QUOTING.needToQuoteValue(text);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private void indent(int indent) {
        for (int i = 0; i < indent; i++) {
            out.append(' ');
        }
    }

    /**
     * The fields of one block mapping at {@code indent}. The first of a mapping that is a list item goes on the
     * item's {@code -} line; the others on lines of their own.
     */
    private final class Fields {
        final int indent;
        private boolean onDashLine;
        private boolean written;

        Fields(int indent, boolean onDashLine) {
            this.indent = indent;
            this.onDashLine = onDashLine;
        }

        /** Writes {@code name:} and leaves the line open for its value. */
        void key(String name) {
            if (onDashLine) {
                out.append(' ');
                onDashLine = false;
            } else {
                indent(indent);
            }
            written = true;
            // SnakeYAML writes a key of more than 128 characters as an explicit "? " key.
            out.append(
                    plainAsIs(name) && name.length() <= 120
                            ? name
                            : keys.computeIfAbsent(name, PlanYamlWriter.this::renderKey));
            out.append(':');
        }

        /** A string field; none when null or empty, as Jackson's NON_EMPTY inclusion leaves it out. */
        void string(String name, String value) {
            if (value != null && !value.isEmpty()) {
                always(name, value);
            }
        }

        /** A string field that is written even when empty. */
        void always(String name, String value) {
            key(name);
            PlanYamlWriter.this.string(value, indent);
        }

        /** A number or boolean field. */
        void scalar(String name, Object value) {
            key(name);
            PlanYamlWriter.this.scalar(value, indent);
        }

        void strings(String name, List<String> values) {
            if (!values.isEmpty()) {
                key(name);
                list(values, indent);
            }
        }

        /** Opens a nested mapping field. */
        Fields mapping(String name) {
            key(name);
            out.append('\n');
            return new Fields(indent + 2, false);
        }

        /** Opens a list field and returns the indent of its items' {@code -}. */
        int sequence(String name) {
            key(name);
            out.append('\n');
            return indent;
        }

        /** A mapping with no field written at all would be {@code {}}; this writer leaves that to Jackson. */
        void end() {
            if (!written) {
                throw UNSUPPORTED;
            }
        }
    }
}
