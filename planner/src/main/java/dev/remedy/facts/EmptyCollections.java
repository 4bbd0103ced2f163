package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableAnyProperty;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.impl.SetterlessProperty;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedConstructor;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fabric8 model object's constructor allocates an empty list or map for each of its list and map properties
 * and for its additional properties; a pod makes about 50 of them, most never filled, and they were a third of
 * what reading a snapshot allocated. A model object is instead made without running its constructor, its fields set
 * to what the constructor sets them to, with the shared immutable empties in place of new empty lists and maps; a
 * property that the input holds replaces its empty as before. An unknown field, which fabric8 puts into the
 * additional properties, first gets a map of their own. Lists and maps that the input holds empty become the
 * shared empties too, and a list read keeps no more room than it holds.
 *
 * <p>A class whose constructor sets anything else (a mutable object, a final field) is made by its constructor.
 */
final class EmptyCollections extends BeanDeserializerModifier {

    private static final String ADDITIONAL_PROPERTIES = "additionalProperties";

    @Override
    public BeanDeserializerBuilder updateBuilder(
            DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
        Class<?> type = description.getBeanClass();
        ValueInstantiator instantiator = builder.getValueInstantiator();
        if (!type.getName().startsWith("io.fabric8.kubernetes.api.model.")
                || instantiator == null
                || !instantiator.canCreateUsingDefault()
                || instantiator.canCreateFromObjectWith()
                || instantiator.canCreateUsingDelegate()
                || instantiator.canCreateUsingArrayDelegate()
                || description.findDefaultConstructor() == null
                || fillsGetterCollections(builder)) {
            return builder;
        }
        Prototype prototype = Prototype.of(description.findDefaultConstructor());
        if (prototype == null) {
            return builder;
        }
        SettableAnyProperty anySetter = builder.getAnySetter();
        if (anySetter != null) {
            if (prototype.additionalProperties == null || anySetter.getProperty() == null) {
                return builder;
            }
            builder = new WithAnySetter(builder, new OwnMapAnySetter(anySetter, prototype.additionalProperties));
        }
        builder.setValueInstantiator(new Instantiator(instantiator, prototype));
        return builder;
    }

    /** A copy of a builder with another any-setter, which Jackson's builder refuses to replace. */
    private static final class WithAnySetter extends BeanDeserializerBuilder {
        WithAnySetter(BeanDeserializerBuilder builder, SettableAnyProperty anySetter) {
            super(builder);
            _anySetter = anySetter;
        }
    }

    @Override
    public JsonDeserializer<?> modifyCollectionDeserializer(
            DeserializationConfig config,
            CollectionType type,
            BeanDescription description,
            JsonDeserializer<?> deserializer) {
        return new Compacting(deserializer);
    }

    @Override
    public JsonDeserializer<?> modifyMapDeserializer(
            DeserializationConfig config, MapType type, BeanDescription description, JsonDeserializer<?> deserializer) {
        return new Compacting(deserializer);
    }

    /**
     * What serialization makes objects with: a constructor of {@code type} that runs Object's constructor alone, so
     * that no field is set; null if the JDK does not offer one.
     */
    static Constructor<?> allocatorFor(Class<?> type) {
        try {
            return sun.reflect.ReflectionFactory.getReflectionFactory()
                    .newConstructorForSerialization(type, Object.class.getDeclaredConstructor());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether Jackson would add to the collection a getter returns, which must then be the object's own. */
    private static boolean fillsGetterCollections(BeanDeserializerBuilder builder) {
        for (Iterator<SettableBeanProperty> properties = builder.getProperties(); properties.hasNext(); ) {
            if (properties.next() instanceof SetterlessProperty) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the default constructor sets: a field and its value, the shared empties standing for new empty ones.
     *
     * <p>A class that has made {@value #OBJECTS_BEFORE_COMPOSED} objects gets one handle that makes an object and
     * sets each of those fields, which the JVM compiles for the class alone, allocation and stores with their values
     * as constants: about 20 ns an object where calling the allocator by reflection and then setting each field
     * through its own handle took about 90, a tenth of reading a snapshot (a pod's objects set some 50 fields).
     * A handle is composed of a few handles a field, which the JVM first runs slowly and then compiles: composed for
     * every class Jackson prepares (hundreds), they cost the first read 2.5 seconds of processor time, while a large
     * snapshot makes objects of a few dozen classes often (26 at 5,000 nodes). The count is not exact when threads
     * share the prototype, and two threads may both compose the handle: it is only composed a little earlier or
     * later, or twice.
     */
    private static final class Prototype {

        static final int OBJECTS_BEFORE_COMPOSED = 1_000;

        private static final Object[] NO_ARGUMENTS = {};

        private static final MethodHandle ALLOCATE;

        static {
            try {
                ALLOCATE = MethodHandles.lookup()
                        .findStatic(
                                Prototype.class, "allocate", MethodType.methodType(Object.class, Constructor.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Constructor<?> allocator;
        private final VarHandle[] handles;
        private final Object[] values;
        /** The field of fabric8's additional properties, if the constructor sets it empty. */
        final VarHandle additionalProperties;

        private int made;
        private MethodHandle maker;

        private Prototype(
                Constructor<?> allocator, VarHandle[] handles, Object[] values, VarHandle additionalProperties) {
            this.allocator = allocator;
            this.handles = handles;
            this.values = values;
            this.additionalProperties = additionalProperties;
        }

        /** The prototype of the constructor's class, or null if its constructor sets what cannot be shared. */
        static Prototype of(AnnotatedConstructor annotated) {
            Constructor<?> constructor = annotated.getAnnotated();
            Class<?> type = constructor.getDeclaringClass();
            Object made;
            try {
                made = constructor.newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
            Constructor<?> allocator = allocatorFor(type);
            if (allocator == null) {
                return null;
            }
            List<VarHandle> handles = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            VarHandle additionalProperties = null;
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    if (Modifier.isFinal(field.getModifiers())
                            || field.getType().isPrimitive()) {
                        return null;
                    }
                    VarHandle handle;
                    try {
                        handle = MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                                .unreflectVarHandle(field);
                    } catch (IllegalAccessException e) {
                        return null;
                    }
                    Object value = handle.get(made);
                    Object shared = shared(value);
                    if (value != null && shared == null) {
                        return null;
                    }
                    if (shared == null) {
                        continue;
                    }
                    handles.add(handle);
                    values.add(shared);
                    if (field.getName().equals(ADDITIONAL_PROPERTIES) && shared == Collections.emptyMap()) {
                        additionalProperties = handle;
                    }
                }
            }
            return new Prototype(allocator, handles.toArray(VarHandle[]::new), values.toArray(), additionalProperties);
        }

        /** What may stand in every object for a value the constructor set, or null if nothing may. */
        private static Object shared(Object value) {
            if (value instanceof String) {
                return value;
            }
            if (value != null && value.getClass() == ArrayList.class && ((List<?>) value).isEmpty()) {
                return Collections.emptyList();
            }
            if (value != null && value.getClass() == LinkedHashMap.class && ((Map<?, ?>) value).isEmpty()) {
                return Collections.emptyMap();
            }
            return null;
        }

        Object make() throws ReflectiveOperationException {
            MethodHandle composed = maker;
            if (composed == null) {
                if (made++ != OBJECTS_BEFORE_COMPOSED) {
                    Object object = allocate(allocator);
                    for (int i = 0; i < handles.length; i++) {
                        handles[i].set(object, values[i]);
                    }
                    return object;
                }
                composed = composed();
                maker = composed;
            }
            try {
                return (Object) composed.invokeExact();
            } catch (ReflectiveOperationException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                // The allocator throws nothing else.
                throw new IllegalStateException(e);
            }
        }

        /**
         * A handle of Constructor.newInstance itself would be bound to its caller, and then collect and spread an
         * array of arguments on every call until the JIT removes them; and {@code newInstance()} makes an empty
         * array on every call too.
         */
        private static Object allocate(Constructor<?> allocator) throws ReflectiveOperationException {
            return allocator.newInstance(NO_ARGUMENTS);
        }

        /** The handle that makes an object with its fields set. */
        private MethodHandle composed() {
            MethodHandle composed = ALLOCATE.bindTo(allocator);
            for (int i = 0; i < handles.length; i++) {
                MethodHandle setter = handles[i].toMethodHandle(VarHandle.AccessMode.SET);
                // object -> (set the field of object to its value; object)
                MethodHandle set = MethodHandles.insertArguments(
                        setter.asType(MethodType.methodType(void.class, Object.class, Object.class)), 1, values[i]);
                composed = MethodHandles.filterReturnValue(
                        composed, MethodHandles.foldArguments(MethodHandles.identity(Object.class), set));
            }
            return composed;
        }
    }

    /** Makes objects from their prototype; every other way of making them is Jackson's. */
    private static final class Instantiator extends ValueInstantiator.Delegating {

        private final Prototype prototype;

        Instantiator(ValueInstantiator delegate, Prototype prototype) {
            super(delegate);
            this.prototype = prototype;
        }

        @Override
        public ValueInstantiator createContextual(DeserializationContext context, BeanDescription description)
                throws JsonMappingException {
            ValueInstantiator contextual = delegate().createContextual(context, description);
            return contextual == delegate() ? this : new Instantiator(contextual, prototype);
        }

        @Override
        public Object createUsingDefault(DeserializationContext context) throws IOException {
            try {
                return prototype.make();
            } catch (InvocationTargetException e) {
                return context.handleInstantiationProblem(getValueClass(), null, e.getCause());
            } catch (ReflectiveOperationException e) {
                return context.handleInstantiationProblem(getValueClass(), null, e);
            }
        }
    }

    /**
     * A list or map read from the input: an empty one becomes the shared empty too, a list keeps no more room than
     * it holds (Jackson's grow to ten places on their first element, and most hold one), and a small map of strings
     * may be shared ({@link SharedMaps}).
     */
    private static final class Compacting extends DelegatingDeserializer {

        Compacting(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Compacting(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = super.deserialize(parser, context);
            if (value != null && value.getClass() == ArrayList.class) {
                ArrayList<?> list = (ArrayList<?>) value;
                if (list.isEmpty()) {
                    return Collections.emptyList();
                }
                list.trimToSize();
            } else if (value != null && value.getClass() == LinkedHashMap.class) {
                return ((Map<?, ?>) value).isEmpty()
                        ? Collections.emptyMap()
                        : SharedMaps.share(value, context.getAttribute(SharedMaps.POOL));
            }
            return value;
        }
    }

    /**
     * Makes the lists read with room for one element instead of the ten that an ArrayList takes on its first: most
     * lists of a model hold one (containers, owner references, conditions), and longer ones grow as they would.
     * Registered for {@link ArrayList}, in place of Jackson's own.
     */
    static final class SmallLists extends ValueInstantiator.Base {

        SmallLists() {
            super(ArrayList.class);
        }

        @Override
        public boolean canCreateUsingDefault() {
            return true;
        }

        @Override
        public Object createUsingDefault(DeserializationContext context) {
            return new ArrayList<>(1);
        }
    }

    /**
     * Makes the maps read with a table of four places, which holds three entries before it grows, instead of
     * sixteen: the maps of a model mostly hold a few labels, requests or capacities. Registered for {@link
     * LinkedHashMap}, in place of Jackson's own.
     */
    static final class SmallMaps extends ValueInstantiator.Base {

        SmallMaps() {
            super(LinkedHashMap.class);
        }

        @Override
        public boolean canCreateUsingDefault() {
            return true;
        }

        @Override
        public Object createUsingDefault(DeserializationContext context) {
            return new LinkedHashMap<>(4);
        }
    }

    /** fabric8's setter of an unknown field, which puts it into the additional properties: a map of their own. */
    private static final class OwnMapAnySetter extends SettableAnyProperty {

        private final SettableAnyProperty delegate;
        private final VarHandle additionalProperties;

        OwnMapAnySetter(SettableAnyProperty delegate, VarHandle additionalProperties) {
            super(delegate.getProperty(), delegate.getProperty().getMember(), delegate.getType(), null, null, null);
            this.delegate = delegate;
            this.additionalProperties = additionalProperties;
        }

        @Override
        public SettableAnyProperty withValueDeserializer(JsonDeserializer<Object> deserializer) {
            return new OwnMapAnySetter(delegate.withValueDeserializer(deserializer), additionalProperties);
        }

        @Override
        public void fixAccess(DeserializationConfig config) {
            delegate.fixAccess(config);
        }

        @Override
        public boolean hasValueDeserializer() {
            return delegate.hasValueDeserializer();
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return delegate.deserialize(parser, context);
        }

        @Override
        public void deserializeAndSet(
                JsonParser parser, DeserializationContext context, Object instance, String propertyName)
                throws IOException {
            ownMap(instance);
            delegate.deserializeAndSet(parser, context, instance, propertyName);
        }

        @Override
        public void set(Object instance, Object propertyName, Object value) throws IOException {
            ownMap(instance);
            delegate.set(instance, propertyName, value);
        }

        @Override
        protected void _set(Object instance, Object propertyName, Object value) throws Exception {
            set(instance, propertyName, value);
        }

        private void ownMap(Object instance) {
            if (additionalProperties.get(instance) == Collections.emptyMap()) {
                additionalProperties.set(instance, new LinkedHashMap<>());
            }
        }
    }
}
