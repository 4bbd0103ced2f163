package dev.remedy.facts.derived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remedy.facts.Snapshot;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which pods and endpoints a Service's facts count, among many pods and Services sharing labels. */
class ServiceCollectionTest {

    private static Pod pod(String namespace, String name, String phase, boolean ready, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("app:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    private static HasMetadata service(String namespace, String name, Map<String, String> selector) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withSelector(selector)
                .endSpec()
                .build();
    }

    private static Map<String, Map<String, Object>> services(List<HasMetadata> objects) {
        Snapshot snapshot =
                new Snapshot("test", "test", objects, List.of(), Optional.empty(), Optional.empty(), List.of());
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Map<String, Object> item : new ServiceCollection()
                .derive(new FactContext(snapshot, Instant.parse("2026-03-01T00:00:00Z"), new LinkedHashMap<>()))) {
            byName.put(item.get("namespace") + "/" + item.get("name"), item);
        }
        return byName;
    }

    @Test
    void countsOnlyPodsOfItsNamespaceWithEverySelectorLabelAndNotSucceeded() {
        Map<String, String> web = Map.of("app", "web", "tier", "frontend");
        Map<String, Map<String, Object>> services = services(List.of(
                pod("shop", "web-1", "Running", true, web),
                pod("shop", "web-2", "Running", false, web),
                pod("shop", "web-3", "Succeeded", false, web),
                pod("shop", "api-1", "Running", true, Map.of("app", "api", "tier", "frontend")),
                pod("shop", "web-canary", "Running", true, Map.of("app", "web")),
                pod("other", "web-1", "Running", true, web),
                service("shop", "web", web),
                service("shop", "frontend", Map.of("tier", "frontend")),
                service("other", "web", web)));

        assertThat(services.get("shop/web"))
                .containsEntry("podsInNamespace", 4)
                .containsEntry("matchingPods", 2)
                .containsEntry("matchingReadyPods", 1L);
        assertThat(services.get("shop/frontend")).containsEntry("matchingPods", 3);
        assertThat(services.get("other/web")).containsEntry("matchingPods", 1);
    }

    @Test
    void namesTheClosestPodsWhenTheSelectorMatchesNone() {
        Map<String, Map<String, Object>> services = services(List.of(
                pod("shop", "web-1", "Running", true, Map.of("app", "web", "tier", "frontend")),
                service("shop", "web", Map.of("app", "web-frontend", "tier", "frontend"))));

        assertThat(services.get("shop/web")).containsEntry("matchingPods", 0);
        assertThat(services.get("shop/web").get("closest"))
                .isEqualTo(
                        List.of(Map.of("pod", "web-1", "differences", List.of("app=web-frontend (pod has app=web)"))));
    }

    @Test
    void readsTheReadyEndpointsOfTheEndpointsWithItsNamespaceAndName() {
        Map<String, String> web = Map.of("app", "web");
        Map<String, Map<String, Object>> services = services(List.of(
                pod("shop", "web-1", "Running", true, web),
                service("shop", "web", web),
                service("other", "web", web),
                service("shop", "api", Map.of("app", "api")),
                new EndpointsBuilder()
                        .withNewMetadata()
                        .withNamespace("other")
                        .withName("web")
                        .endMetadata()
                        .addNewSubset()
                        .addNewAddress()
                        .withIp("10.0.0.1")
                        .endAddress()
                        .addNewAddress()
                        .withIp("10.0.0.2")
                        .endAddress()
                        .endSubset()
                        .build(),
                new EndpointsBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("web")
                        .endMetadata()
                        .addNewSubset()
                        .addNewAddress()
                        .withIp("10.0.1.1")
                        .endAddress()
                        .endSubset()
                        .build()));

        assertThat(services.get("shop/web")).containsEntry("readyEndpoints", 1);
        assertThat(services.get("other/web")).containsEntry("readyEndpoints", 2);
        assertThat(services.get("shop/api")).doesNotContainKey("readyEndpoints");
    }
}
