package dev.remedy.facts.derived;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code services}: every Service with a selector, the pods it selects, its ready endpoints, and, when it
 * selects none, the pods that come closest with the labels that differ. Services without a selector manage
 * their endpoints by hand and are left out.
 */
public final class ServiceCollection implements FactCollection {

    @Override
    public String name() {
        return "services";
    }

    @Override
    public String description() {
        return "a Service with a selector, the pods it selects, its endpoints and the label differences to the"
                + " closest pods";
    }

    @Override
    public List<Map<String, Object>> derive(FactContext context) {
        Snapshot snapshot = context.snapshot();
        List<Service> services = new ArrayList<>(snapshot.services());
        services.sort(Comparator.comparing(
                        (Service s) -> Objects.toString(s.getMetadata().getNamespace(), ""))
                .thenComparing(s -> s.getMetadata().getName()));
        List<Map<String, Object>> result = new ArrayList<>();
        PodIndex index = context.podIndex();
        // A Service never selects a pod that has completed; each namespace's other pods are listed when first needed.
        Map<String, List<PodCollection.Keyed>> running = new HashMap<>();
        boolean anyPods = !context.pods().isEmpty();
        for (Service service : services) {
            Map<String, String> selector =
                    service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            List<PodCollection.Keyed> inNamespace = running.computeIfAbsent(
                    service.getMetadata().getNamespace(), n -> notSucceeded(index.inNamespace(n)));
            result.add(service(snapshot, service, new TreeMap<>(selector), inNamespace, index, anyPods));
        }
        return result;
    }

    private static List<PodCollection.Keyed> notSucceeded(List<PodCollection.Keyed> pods) {
        List<PodCollection.Keyed> running = new ArrayList<>();
        for (PodCollection.Keyed pod : pods) {
            if (notSucceeded(pod)) {
                running.add(pod);
            }
        }
        return running;
    }

    private static boolean notSucceeded(PodCollection.Keyed pod) {
        return !"Succeeded".equals(pod.phase());
    }

    private static Map<String, Object> service(
            Snapshot snapshot,
            Service service,
            Map<String, String> selector,
            List<PodCollection.Keyed> pods,
            PodIndex index,
            boolean anyPods) {
        String namespace = service.getMetadata().getNamespace();
        Map<String, Object> fact = new FactMap(16);
        fact.put("ref", Facts.ref("Service", namespace, service.getMetadata().getName(), null));
        fact.put("name", service.getMetadata().getName());
        fact.put("namespace", namespace);
        if (service.getMetadata().getResourceVersion() != null) {
            fact.put("resourceVersion", service.getMetadata().getResourceVersion());
        }
        fact.put("selector", selector);
        fact.put("selectorText", text(selector));
        snapshot.named(Endpoints.class, namespace, service.getMetadata().getName()).stream()
                .findFirst()
                .map(ServiceCollection::readyEndpoints)
                .ifPresent(e -> fact.put("readyEndpoints", e));
        if (pods.isEmpty() && !anyPods) {
            return fact;
        }
        fact.put("podsInNamespace", pods.size());
        int matching = 0;
        long ready = 0;
        PodIndex.SelectorTest selected = new PodIndex.SelectorTest(labels -> matches(selector, labels(labels)));
        for (PodCollection.Keyed pod : index.candidates(namespace, selector)) {
            if (selected.selects(pod.labels()) && notSucceeded(pod)) {
                matching++;
                ready += pod.ready() ? 1 : 0;
            }
        }
        fact.put("matchingPods", matching);
        fact.put("matchingReadyPods", ready);
        if (matching == 0) {
            fact.put("closest", closest(selector, pods));
        }
        return fact;
    }

    /**
     * The pods that share the most selector labels with the selector (at least one), each with the selector
     * labels it lacks or has another value for: {@code app=web-frontend (pod has app=frontend)}. At most three.
     */
    static List<Map<String, Object>> closest(Map<String, String> selector, List<PodCollection.Keyed> pods) {
        int best = 0;
        List<PodCollection.Keyed> closest = new ArrayList<>();
        for (PodCollection.Keyed pod : pods) {
            Map<String, String> labels = labels(pod);
            int shared = 0;
            for (Map.Entry<String, String> entry : selector.entrySet()) {
                if (labels.containsKey(entry.getKey())) {
                    shared++;
                }
                if (entry.getValue().equals(labels.get(entry.getKey()))) {
                    shared++;
                }
            }
            if (shared == 0 || shared < best) {
                continue;
            }
            if (shared > best) {
                best = shared;
                closest.clear();
            }
            closest.add(pod);
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (PodCollection.Keyed pod : closest.subList(0, Math.min(3, closest.size()))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("pod", pod.name());
            item.put("differences", differences(selector, labels(pod)));
            result.add(item);
        }
        return result;
    }

    /** The selector labels a pod does not carry as selected, each as a sentence. */
    static List<String> differences(Map<String, String> selector, Map<String, String> labels) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            String actual = labels.get(entry.getKey());
            if (actual == null) {
                differences.add(entry.getKey() + "=" + entry.getValue() + " (pod has no label " + entry.getKey() + ")");
            } else if (!actual.equals(entry.getValue())) {
                differences.add(
                        entry.getKey() + "=" + entry.getValue() + " (pod has " + entry.getKey() + "=" + actual + ")");
            }
        }
        return differences;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> entry : selector.entrySet()) {
            if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static String text(Map<String, String> selector) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(selector).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    private static Map<String, String> labels(PodCollection.Keyed pod) {
        return labels(pod.labels());
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    private static int readyEndpoints(Endpoints endpoints) {
        int ready = 0;
        for (var subset : Optional.ofNullable(endpoints.getSubsets()).orElse(List.of())) {
            ready += Optional.ofNullable(subset.getAddresses()).map(List::size).orElse(0);
        }
        return ready;
    }
}
