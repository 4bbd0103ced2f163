package dev.remedy.risks;

import dev.remedy.plan.ObjectRef;

/** A controller of pods (Deployment, StatefulSet, ReplicaSet, DaemonSet) or a bare pod. */
record ModelWorkload(
        String kind, String namespace, String name, int replicas, LabelSelection selector, String resourceVersion) {

    static String key(String kind, String namespace, String name) {
        return kind + " " + namespace + "/" + name;
    }

    String key() {
        return key(kind, namespace, name);
    }

    ObjectRef ref() {
        return new ObjectRef(kind, namespace, name, null);
    }

    boolean scalable() {
        return kind.equals("Deployment") || kind.equals("StatefulSet") || kind.equals("ReplicaSet");
    }
}
