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
 * snapshot, with an array for its argument on every call. Each public setter of one argument gets a {@link
 * BiConsumer} that calls it, made by the JVM's lambda factory; reading the value, nulls included, stays Jackson's,
 * and a value the setter does not take is set through reflection, which reports it as before.
 *
 * <p>It must run before fabric8's own modifier, which wraps every property (to keep a value of the wrong type as an
 * additional property), so that fabric8's wrapper holds the direct setter.
 */
final class DirectSetters extends BeanDeserializerModifier {

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
            if (property instanceof MethodProperty) {
                BiConsumer<Object, Object> setter =
                        setterOf(property.getMember().getMember());
                if (setter != null && !skipsNulls(property)) {
                    direct.add(new Direct(property, setter));
                }
            }
        }
        for (SettableBeanProperty property : direct) {
            builder.addOrReplaceProperty(property, true);
        }
        return builder;
    }

    /** A direct call of the setter, or null if it is not a public method of one object argument. */
    @SuppressWarnings("unchecked")
    private static BiConsumer<Object, Object> setterOf(Object member) {
        if (!(member instanceof Method method)
                || method.getParameterCount() != 1
                || method.getParameterTypes()[0].isPrimitive()
                || method.getReturnType() != void.class
                || !Modifier.isPublic(method.getModifiers())
                || !Modifier.isPublic(method.getDeclaringClass().getModifiers())
                || Modifier.isStatic(method.getModifiers())) {
            return null;
        }
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

    /** Jackson's property of a setter, whose value is set by a direct call. */
    private static final class Direct extends SettableBeanProperty.Delegating {

        private final BiConsumer<Object, Object> setter;

        Direct(SettableBeanProperty delegate, BiConsumer<Object, Object> setter) {
            super(delegate);
            this.setter = setter;
        }

        @Override
        protected SettableBeanProperty withDelegate(SettableBeanProperty delegate) {
            return skipsNulls(delegate) ? delegate : new Direct(delegate, setter);
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
            try {
                setter.accept(instance, value);
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
