package dev.remedy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Names a Kubernetes object, and the node it lives on where that matters. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"kind", "namespace", "name", "node"})
public record ObjectRef(String kind, String namespace, String name, String node) {

    @Override
    public String toString() {
        return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
