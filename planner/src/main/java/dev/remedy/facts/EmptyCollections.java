package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fabric8 model object allocates an empty list or map for each of its list and map properties and for its
 * additional properties; a pod keeps about 17 such maps and 34 such lists, most never filled (half of a read
 * snapshot's heap). Once an object is bound, its still-empty ones are replaced by the shared immutable empties,
 * so that they die young instead of being copied and kept.
 */
final class EmptyCollections extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyDeserializer(
            DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
        Class<?> type = description.getBeanClass();
        if (!type.getName().startsWith("io.fabric8.kubernetes.api.model.")) {
            return deserializer;
        }
        List<VarHandle> fields = collectionFields(type);
        return fields.isEmpty() ? deserializer : new Compacting(deserializer, fields.toArray(VarHandle[]::new));
    }

    private static List<VarHandle> collectionFields(Class<?> type) {
        List<VarHandle> handles = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
                    continue;
                }
                if (field.getType() != List.class && field.getType() != Map.class) {
                    continue;
                }
                try {
                    handles.add(MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                            .unreflectVarHandle(field));
                } catch (IllegalAccessException e) {
                    return List.of();
                }
            }
        }
        return handles;
    }

    private static final class Compacting extends DelegatingDeserializer {

        private final VarHandle[] fields;

        Compacting(JsonDeserializer<?> delegate, VarHandle[] fields) {
            super(delegate);
            this.fields = fields;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Compacting(delegate, fields);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return compacted(super.deserialize(parser, context));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object deserialize(JsonParser parser, DeserializationContext context, Object into) throws IOException {
            return compacted(((JsonDeserializer<Object>) _delegatee).deserialize(parser, context, into));
        }

        private Object compacted(Object bean) {
            if (bean != null) {
                for (VarHandle field : fields) {
                    Object value = field.get(bean);
                    if (value instanceof ArrayList<?> list && list.isEmpty()) {
                        field.set(bean, Collections.emptyList());
                    } else if (value instanceof LinkedHashMap<?, ?> map && map.isEmpty()) {
                        field.set(bean, Collections.emptyMap());
                    }
                }
            }
            return bean;
        }
    }
}
