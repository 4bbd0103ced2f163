package dev.remedy.facts.derived;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line flags of a control-plane container, as written in its manifest: {@code --name=value} or
 * {@code --name value}, with the index of the argument that holds each, so an edit can name the exact
 * element it changes.
 */
public record Flags(List<String> arguments, Map<String, Integer> index) {

    public static Flags parse(List<String> arguments) {
        List<String> args = arguments == null ? List.of() : List.copyOf(arguments);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                continue;
            }
            int equals = arg.indexOf('=');
            index.putIfAbsent(equals > 0 ? arg.substring(2, equals) : arg.substring(2), i);
        }
        return new Flags(args, index);
    }

    /** The flag's value, from {@code --name=value} or from the argument after {@code --name}. */
    public Optional<String> value(String name) {
        Integer i = index.get(name);
        if (i == null) {
            return Optional.empty();
        }
        String arg = arguments.get(i);
        int equals = arg.indexOf('=');
        if (equals > 0) {
            return Optional.of(arg.substring(equals + 1));
        }
        return i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")
                ? Optional.of(arguments.get(i + 1))
                : Optional.of("true");
    }

    /** Every flag whose value is {@code value}, by name. */
    public List<String> namesWithValue(String value) {
        List<String> names = new ArrayList<>();
        index.keySet().forEach(name -> value(name).filter(value::equals).ifPresent(v -> names.add(name)));
        return names;
    }

    /** Every {@code --name=value} pair, for comparing two manifests of one component. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        index.keySet().forEach(name -> map.put(name, value(name).orElse("")));
        return map;
    }
}
