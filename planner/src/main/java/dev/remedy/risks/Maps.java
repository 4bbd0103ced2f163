package dev.remedy.risks;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps written into reports keep the order they are built in: same report, same bytes. */
final class Maps {

    private Maps() {}

    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
