package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

    @Test
    void aMissingSelectorSelectsNothingAndAnEmptyOneEverything() {
        assertThat(LabelSelectors.selects(null, WEB)).isFalse();
        assertThat(LabelSelectors.selects(new LabelSelector(), WEB)).isTrue();
        assertThat(LabelSelectors.selects(new LabelSelector(), null)).isTrue();
    }

    @Test
    void everyMatchLabelsPairMustBePresentWithItsValue() {
        assertThat(LabelSelectors.selects(
                        selector().addToMatchLabels("app", "web").build(), WEB))
                .isTrue();
        assertThat(LabelSelectors.selects(
                        selector()
                                .addToMatchLabels("app", "web")
                                .addToMatchLabels("tier", "back")
                                .build(),
                        WEB))
                .isFalse();
        assertThat(LabelSelectors.selects(
                        selector().addToMatchLabels("app", "web").build(), null))
                .isFalse();
    }

    @Test
    void expressionsFollowTheApiServersOperators() {
        assertThat(selects("app", "In", "web", "api")).isTrue();
        assertThat(selects("app", "In", "api")).isFalse();
        assertThat(selects("app", "NotIn", "api")).isTrue();
        assertThat(selects("app", "NotIn", "web")).isFalse();
        assertThat(selects("zone", "NotIn", "a"))
                .as("NotIn holds where the label is absent")
                .isTrue();
        assertThat(selects("tier", "Exists")).isTrue();
        assertThat(selects("zone", "Exists")).isFalse();
        assertThat(selects("zone", "DoesNotExist")).isTrue();
        assertThat(selects("tier", "DoesNotExist")).isFalse();
        assertThat(selects("app", "Gt", "1"))
                .as("Gt is for node selectors only")
                .isFalse();
    }

    @Test
    void nodeSelectorsAlsoCompareIntegersAndNeverFailOnALabelThatIsNotOne() {
        assertThat(LabelSelectors.holds(node("Gt", "4"), "8")).isTrue();
        assertThat(LabelSelectors.holds(node("Gt", "8"), "8")).isFalse();
        assertThat(LabelSelectors.holds(node("Lt", "16"), "8")).isTrue();
        assertThat(LabelSelectors.holds(node("Gt", "4"), "large")).isFalse();
        assertThat(LabelSelectors.holds(node("Lt", "4"), null)).isFalse();
        assertThat(LabelSelectors.holds(node("In", "8"), "8")).isTrue();
    }

    private static NodeSelectorRequirement node(String operator, String value) {
        return new NodeSelectorRequirement("cpus", operator, java.util.List.of(value));
    }

    private static boolean selects(String key, String operator, String... values) {
        return LabelSelectors.selects(
                selector()
                        .addNewMatchExpression()
                        .withKey(key)
                        .withOperator(operator)
                        .withValues(values.length == 0 ? null : java.util.List.of(values))
                        .endMatchExpression()
                        .build(),
                WEB);
    }

    private static LabelSelectorBuilder selector() {
        return new LabelSelectorBuilder();
    }
}
