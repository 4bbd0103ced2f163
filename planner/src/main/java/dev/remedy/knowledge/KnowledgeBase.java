package dev.remedy.knowledge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.remedy.facts.DerivedFacts;
import dev.remedy.facts.SourceLines;
import dev.remedy.plan.ActionType;
import dev.remedy.plan.RestartedServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The scenarios, loaded strictly: unknown fields, an id that differs from the file name, a CEL expression that
 * does not compile, an unknown action type or fact collection, and stray files all fail at load time with the
 * file and the line.
 */
public final class KnowledgeBase {

    /** Where the knowledge base sits inside the jar. */
    public static final String RESOURCE_DIRECTORY = "knowledge-base";

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Map<String, Scenario> scenarios;

    private KnowledgeBase(Map<String, Scenario> scenarios) {
        this.scenarios = scenarios;
    }

    /** The knowledge base shipped inside the jar. */
    public static KnowledgeBase bundled() {
        URL url = KnowledgeBase.class.getClassLoader().getResource(RESOURCE_DIRECTORY);
        if (url == null) {
            throw new KnowledgeBaseException("The bundled knowledge base (" + RESOURCE_DIRECTORY
                    + ") is missing from the classpath. Maybe rebuild with ./mvnw package.");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return load(jar.getPath(RESOURCE_DIRECTORY));
                }
            }
            return load(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new KnowledgeBaseException("The bundled knowledge base cannot be read: " + e.getMessage(), e);
        }
    }

    /** Loads every {@code *.yaml} file of {@code directory}; a README.md may sit beside them. */
    public static KnowledgeBase load(Path directory) {
        CelEnvironment environment = new CelEnvironment();
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        for (Path file : list(directory)) {
            String name = file.getFileName().toString();
            if (name.equals("README.md")) {
                continue;
            }
            if (!name.endsWith(".yaml")) {
                throw new KnowledgeBaseException("The knowledge-base directory holds a stray file (" + name
                        + "). Maybe rename it to <id>.yaml, or move it out of knowledge-base/.");
            }
            Scenario scenario = loadFile(environment, file, name);
            if (scenarios.put(scenario.id(), scenario) != null) {
                throw new KnowledgeBaseException("The knowledge-base file (" + name + ") declares a duplicate id ("
                        + scenario.id() + "). Maybe rename one of the scenarios.");
            }
        }
        return new KnowledgeBase(scenarios);
    }

    private static Scenario loadFile(CelEnvironment environment, Path file, String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ScenarioSpec spec;
        try {
            spec = MAPPER.readValue(bytes, ScenarioSpec.class);
        } catch (JsonProcessingException e) {
            int line = SourceLines.line(
                    MAPPER.getFactory(),
                    bytes,
                    0,
                    e,
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr());
            throw new KnowledgeBaseException(describe(name, line, e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (spec == null) {
            throw new KnowledgeBaseException(
                    "The knowledge-base file (" + name + ") is empty. Maybe copy the shape of another scenario.");
        }
        String expectedId = name.substring(0, name.length() - ".yaml".length());
        if (!spec.id().equals(expectedId)) {
            throw new KnowledgeBaseException("The scenario file (" + name + ") line 1: declares id (" + spec.id()
                    + "). Maybe rename the file to " + spec.id() + ".yaml or the id to " + expectedId + ".");
        }
        if (!DerivedFacts.COLLECTIONS.containsKey(spec.match().each())) {
            throw new KnowledgeBaseException("The scenario file (" + name + ") line "
                    + spec.match().when().line()
                    + ": match.each names an unknown fact collection ("
                    + spec.match().each() + "). Maybe one of "
                    + String.join(", ", DerivedFacts.COLLECTIONS.keySet()) + ".");
        }
        TemplateCompiler compiler = new TemplateCompiler(environment, name);
        List<Scenario.Remedy> remedies = new ArrayList<>();
        for (ScenarioSpec.RemedySpec remedy : nullToEmpty(spec.remedies())) {
            List<Scenario.ActionTemplate> actions = new ArrayList<>();
            for (ScenarioSpec.ActionSpec action : remedy.actions()) {
                checkServices(name, action);
                actions.add(new Scenario.ActionTemplate(
                        action.type(),
                        optionalExpression(compiler, action.forEach()),
                        compiler.compile(action.node()),
                        compiler.compile(action.path()),
                        compiler.compile(action.target()),
                        compiler.compile(action.change()),
                        compiler.compile(action.preconditions()),
                        compiler.compile(action.verify()),
                        Optional.ofNullable(action.risk()),
                        compiler.compile(action.rationale())));
            }
            remedies.add(new Scenario.Remedy(
                    remedy.id(),
                    remedy.title(),
                    remedy.risk(),
                    optionalExpression(compiler, remedy.when()),
                    compiler.compile(remedy.notApplicable()),
                    actions));
        }
        Optional<Scenario.UnresolvedTemplate> unresolved = Optional.ofNullable(spec.unresolved())
                .map(u -> new Scenario.UnresolvedTemplate(
                        compiler.compile(u.reason()),
                        compiler.compile(u.instructions()),
                        compiler.compile(u.verify())));
        if (remedies.isEmpty() && unresolved.isEmpty()) {
            throw new KnowledgeBaseException("The scenario file (" + name + ") has neither remedies nor unresolved."
                    + " Maybe add an unresolved section with the manual step a person must take.");
        }
        return new Scenario(
                spec.id(),
                spec.title(),
                spec.severity(),
                spec.incident(),
                spec.description(),
                spec.match().each(),
                condition(compiler, spec.match().when()),
                compiler.compile(spec.summary()),
                nullToEmpty(spec.evidence()).stream().map(compiler::compile).toList(),
                remedies,
                unresolved,
                Optional.ofNullable(spec.escalate())
                        .map(e -> new Scenario.Escalation(e.severity(), condition(compiler, e.when()))));
    }

    /**
     * A RestartNodeService lists the services it restarts, in order, in {@code change.services}; the singular
     * {@code change.service} of older scenarios is refused rather than silently read differently by one consumer.
     */
    private static void checkServices(String name, ScenarioSpec.ActionSpec action) {
        if (action.type() != ActionType.RestartNodeService) {
            return;
        }
        TemplateNode change = action.change();
        Map<String, TemplateNode> fields = change != null && change.isMap() ? change.asMap() : Map.of();
        TemplateNode singular = fields.get("service");
        if (singular != null) {
            String value = singular.value() == null ? "" : singular.value().toString();
            throw new KnowledgeBaseException("The knowledge-base file (" + name + ") line " + singular.line()
                    + ": RestartNodeService names change.service (" + value + "), which nothing reads. Maybe write"
                    + " change." + RestartedServices.FIELD + ": [" + value + "], the services to restart in order.");
        }
        TemplateNode services = fields.get(RestartedServices.FIELD);
        boolean template = services != null
                && services.value() instanceof String text
                && text.strip().startsWith("${");
        if (services == null || !(services.value() instanceof List<?> list && !list.isEmpty()) && !template) {
            int line = services != null
                    ? services.line()
                    : change != null && change.line() > 0
                            ? change.line()
                            : action.rationale().line();
            throw new KnowledgeBaseException("The knowledge-base file (" + name + ") line " + line
                    + ": RestartNodeService names no change." + RestartedServices.FIELD
                    + " list. Maybe add change." + RestartedServices.FIELD
                    + ": [kubelet], the services to restart in order.");
        }
    }

    private static Optional<Expression> optionalExpression(TemplateCompiler compiler, TemplateNode node) {
        return node == null || node.value() == null ? Optional.empty() : Optional.of(condition(compiler, node));
    }

    /** A field that is CEL as a whole (match.when, remedy when, forEach): written bare, without ${...}. */
    private static Expression condition(TemplateCompiler compiler, TemplateNode node) {
        if (!(node.value() instanceof String source)) {
            throw new KnowledgeBaseException("The knowledge-base file line " + node.line()
                    + ": expected a CEL expression as a string. Maybe quote it.");
        }
        String bare = source.strip();
        if (bare.startsWith("${") && bare.endsWith("}")) {
            bare = bare.substring(2, bare.length() - 1);
        }
        return compiler.expression(bare, node.line());
    }

    private static String describe(String name, int line, JsonProcessingException e) {
        String prefix = "The knowledge-base file (" + name + ")" + (line > 0 ? " line " + line : "") + ": ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            return prefix + "unknown field (" + unknown.getPropertyName() + "). Maybe one of "
                    + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ".";
        }
        if (e instanceof InvalidFormatException invalid
                && invalid.getTargetType().isEnum()) {
            return prefix + "unknown value (" + invalid.getValue() + ") for " + path(invalid) + ". Maybe one of "
                    + Arrays.stream(invalid.getTargetType().getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "))
                    + ".";
        }
        if (e instanceof MismatchedInputException mismatch
                && mismatch.getOriginalMessage().startsWith("Missing")) {
            return prefix + "a required field is missing (" + path(mismatch) + "): "
                    + mismatch.getOriginalMessage().replaceAll("\\s*\\(for Creator.*", "") + ". Maybe add it.";
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return prefix + (newline < 0 ? message : message.substring(0, newline))
                + ". Maybe compare the file with another scenario.";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static List<Path> list(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new KnowledgeBaseException("The knowledge-base directory (" + directory
                    + ") does not exist. Maybe point --knowledge-base at the repository's knowledge-base/.");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .sorted((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Scenarios in id order. */
    public List<Scenario> scenarios() {
        return List.copyOf(scenarios.values());
    }

    public Optional<Scenario> scenario(String id) {
        return Optional.ofNullable(scenarios.get(id));
    }
}
