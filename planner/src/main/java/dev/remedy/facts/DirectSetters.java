package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.impl.MethodProperty;
import com.fasterxml.jackson.databind.deser.impl.NullsConstantProvider;
import java.io.IOException;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Calls the setters of fabric8's model classes directly instead of through reflection: Jackson sets each property
 * with {@code Method.invoke}, which at 5,000 nodes (about 20 million properties) was a sixth of reading a
 * snapshot, with an array for its argument on every call. A public setter of one argument that has been called
 * {@value #CALLS_BEFORE_DIRECT} times gets a {@link BiConsumer} that calls it, made by the JVM's lambda factory;
 * reading the value, nulls included, stays Jackson's, and a value the setter does not take is set through
 * reflection, which reports it as before. A lambda costs a class: one for every setter of every class Jackson
 * prepares (thousands) cost a second of processor time on the first read, while a large snapshot calls only a few
 * hundred setters often.
 *
 * <p>It must run before fabric8's own modifier, which wraps every property (to keep a value of the wrong type as an
 * additional property), so that fabric8's wrapper holds the direct setter.
 */
final class DirectSetters extends BeanDeserializerModifier {

    static final int CALLS_BEFORE_DIRECT = 1_000;

    private static final MethodType SETTER = MethodType.methodType(void.class, Object.class, Object.class);

    @Override
    public BeanDeserializerBuilder updateBuilder(
            DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
        if (!description.getBeanClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
            return builder;
        }
        List<SettableBeanProperty> direct = new ArrayList<>();
        for (Iterator<SettableBeanProperty> properties = builder.getProperties(); properties.hasNext(); ) {
            SettableBeanProperty property = properties.next();
            if (property instanceof MethodProperty
                    && property.getMember().getMember() instanceof Method method
                    && isPlainSetter(method)
                    && !skipsNulls(property)) {
                direct.add(new Direct(property, method));
            }
        }
        for (SettableBeanProperty property : direct) {
            builder.addOrReplaceProperty(property, true);
        }
        return builder;
    }

    /** Whether the method is a public setter of one object argument. */
    private static boolean isPlainSetter(Method method) {
        return method.getParameterCount() == 1
                && !method.getParameterTypes()[0].isPrimitive()
                && method.getReturnType() == void.class
                && Modifier.isPublic(method.getModifiers())
                && Modifier.isPublic(method.getDeclaringClass().getModifiers())
                && !Modifier.isStatic(method.getModifiers());
    }

    /** A direct call of the setter, or null if the JVM makes none. */
    @SuppressWarnings("unchecked")
    private static BiConsumer<Object, Object> setterOf(Method method) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle target = lookup.unreflect(method);
            CallSite site = LambdaMetafactory.metafactory(
                    lookup, "accept", MethodType.methodType(BiConsumer.class), SETTER, target, target.type());
            return (BiConsumer<Object, Object>) site.getTarget().invokeExact();
        } catch (Throwable e) {
            return null;
        }
    }

    private static boolean skipsNulls(SettableBeanProperty property) {
        return NullsConstantProvider.isSkipper(property.getNullValueProvider());
    }

    /**
     * Jackson's property of a setter, whose value is set by a direct call once the setter has been called often.
     * The count is not exact when threads share the property, and two threads may both make the call: it is only
     * made a little earlier or later, or twice.
     */
    private static final class Direct extends SettableBeanProperty.Delegating {

        private final Method method;
        private int calls;
        private BiConsumer<Object, Object> setter;

        Direct(SettableBeanProperty delegate, Method method) {
            super(delegate);
            this.method = method;
        }

        @Override
        protected SettableBeanProperty withDelegate(SettableBeanProperty delegate) {
            return skipsNulls(delegate) ? delegate : new Direct(delegate, method);
        }

        @Override
        public void deserializeAndSet(JsonParser parser, DeserializationContext context, Object instance)
                throws IOException {
            set(instance, delegate.deserialize(parser, context));
        }

        @Override
        public Object deserializeSetAndReturn(JsonParser parser, DeserializationContext context, Object instance)
                throws IOException {
            set(instance, delegate.deserialize(parser, context));
            return instance;
        }

        @Override
        public void set(Object instance, Object value) throws IOException {
            BiConsumer<Object, Object> direct = setter;
            if (direct == null) {
                // Past the count, a setter the JVM makes no call for stays reflective without asking again.
                if (calls++ != CALLS_BEFORE_DIRECT || (direct = setterOf(method)) == null) {
                    delegate.set(instance, value);
                    return;
                }
                setter = direct;
            }
            try {
                direct.accept(instance, value);
            } catch (RuntimeException e) {
                // A value of another type, or a setter that fails: reflection reports it as Jackson does.
                delegate.set(instance, value);
            }
        }

        @Override
        public Object setAndReturn(Object instance, Object value) throws IOException {
            set(instance, value);
            return instance;
        }
    }
}
