package dev.remedy.facts.derived;

import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --flag=value} arguments of a container's command and args, each with the YAML path of the list
 * element that holds it, so an edit can replace exactly that element ({@code command[7]}).
 */
record CommandFlags(
        String container,
        Map<String, String> values,
        Map<String, String> raw,
        Map<String, String> paths,
        String appendPath) {

    static CommandFlags of(Container container) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        String base = "spec.containers[name=" + container.getName() + "].";
        String appendPath = base + "command[-]";
        for (String field : List.of("command", "args")) {
            List<String> list = Optional.ofNullable(
                            field.equals("command") ? container.getCommand() : container.getArgs())
                    .orElse(List.of());
            if (!list.isEmpty() && list.stream().anyMatch(a -> a.startsWith("--"))) {
                appendPath = base + field + "[-]";
            }
            for (int i = 0; i < list.size(); i++) {
                String argument = list.get(i).strip();
                if (!argument.startsWith("--")) {
                    continue;
                }
                String[] parts = argument.split("=", 2);
                values.put(parts[0], parts.length == 2 ? parts[1] : "true");
                raw.put(parts[0], argument);
                paths.put(parts[0], base + field + "[" + i + "]");
            }
        }
        return new CommandFlags(container.getName(), values, raw, paths, appendPath);
    }

    /** Every argument of the container in order, with {@code --flag} set to {@code value} (appended if absent). */
    static List<String> withFlags(Container container, Map<String, String> flags, String field) {
        List<String> list = new ArrayList<>(
                Optional.ofNullable(field.equals("command") ? container.getCommand() : container.getArgs())
                        .orElse(List.of()));
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            String argument = flag.getKey() + "=" + flag.getValue();
            boolean replaced = false;
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).strip().equals(flag.getKey())
                        || list.get(i).strip().startsWith(flag.getKey() + "=")) {
                    list.set(i, argument);
                    replaced = true;
                }
            }
            if (!replaced) {
                list.add(argument);
            }
        }
        return list;
    }

    /** The edit that sets {@code --flag=value}: replacing the argument that has it, else appending one. */
    Map<String, Object> edit(String flag, String value) {
        Map<String, Object> edit = new LinkedHashMap<>();
        String to = flag + "=" + value;
        if (paths.containsKey(flag)) {
            edit.put("op", "set");
            edit.put("path", paths.get(flag));
            edit.put("from", raw.get(flag));
            edit.put("to", to);
        } else {
            edit.put("op", "add");
            edit.put("path", appendPath);
            edit.put("to", to);
        }
        return edit;
    }
}
