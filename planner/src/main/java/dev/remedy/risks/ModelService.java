package dev.remedy.risks;

import dev.remedy.plan.ObjectRef;

/** A Service with a selector: it serves while one of its selected pods is ready. */
record ModelService(String namespace, String name, LabelSelection selector) {

    ObjectRef ref() {
        return new ObjectRef("Service", namespace, name, null);
    }
}
