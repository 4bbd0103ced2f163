package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializer;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One element of a list's {@code items}, read without building a tree: an object that starts with its
 * {@code apiVersion} and {@code kind} (as kubectl and fabric8 write them) is bound straight from the parser; any
 * other object is kept as the parser's tokens until the list's kind is known (kubectl writes it after the items),
 * and an element that is not an object is kept as a tree, for the note that skips it.
 *
 * @param index the element's place in {@code items}
 * @param line where the element starts
 * @param bound the object bound from the parser, or null
 * @param tokens the object's tokens when it was not bound, or null
 * @param node the element that is not an object, or null
 * @param kind the object's own {@code kind} when it is a string, else null
 * @param apiVersion the object's own {@code apiVersion} when it is a string, else null
 * @param plain whether {@code kind} and {@code apiVersion} are absent or strings, so that the object can be bound
 *     without looking at it as a tree
 */
record ListItem(
        int index,
        int line,
        KubernetesResource bound,
        TokenBuffer tokens,
        JsonNode node,
        String kind,
        String apiVersion,
        boolean plain) {

    boolean isObject() {
        return node == null;
    }

    /** The element as a tree, for the rare items that the tree-based reading handles. */
    JsonNode tree(ObjectMapper mapper) throws IOException {
        if (node != null) {
            return node;
        }
        try (JsonParser parser = tokens.asParser(mapper)) {
            return mapper.readTree(parser);
        }
    }

    /**
     * The object's tokens with {@code kind} and {@code apiVersion} given by its list, written last so that they win
     * over the object's own, as a tree's {@code put} would.
     */
    TokenBuffer withType(ObjectCodec codec, String listKind, String listApiVersion) throws IOException {
        TokenBuffer typed = new TokenBuffer(codec, false);
        try (JsonParser parser = tokens.asParser(codec)) {
            parser.nextToken();
            typed.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                typed.copyCurrentStructure(parser);
            }
            typed.writeStringField("kind", listKind);
            typed.writeStringField("apiVersion", listApiVersion);
            typed.writeEndObject();
        }
        return typed;
    }

    /**
     * Reads the elements of {@code items} from a parser that refuses duplicate keys itself: a bound object would
     * otherwise keep the last of two values silently.
     */
    static final class Reader {
        private final ObjectMapper treeMapper;
        private final ObjectReader objects;
        private final BiFunction<String, String, Class<? extends KubernetesResource>> classes;
        // The strings of the objects being read: a kind and an apiVersion are taken from it too.
        private final Object pool;
        // A reader per class: forType looks up its deserializer again each time. The items of a list are mostly of
        // one kind, so the class of the last kind is kept.
        private final Map<Class<?>, ObjectReader> readers = new HashMap<>();
        private String lastApiVersion;
        private String lastKind;
        private Class<? extends KubernetesResource> lastClass;
        private Class<?> lastReaderClass;
        private TokenBuffer leadingKeys;
        private boolean leadingKindFirst;
        private String leadingKind;
        private String leadingApiVersion;
        private ObjectReader lastReader;
        // Objects bound from the parser share one deserialization context, made with the parser.
        private final DefaultDeserializationContext blueprint;
        private DefaultDeserializationContext context;
        private final Map<Class<?>, Binder> binders = new HashMap<>();
        private Class<?> lastBinderClass;
        private Binder lastBinder;

        /**
         * {@code classes} gives the class to bind an object of an apiVersion and a kind to, or null for an object
         * the tree-based reading must see (a nested list, one of the snapshot's own kinds).
         */
        Reader(
                ObjectMapper treeMapper,
                ObjectMapper objectMapper,
                ObjectReader objects,
                BiFunction<String, String, Class<? extends KubernetesResource>> classes) {
            this.treeMapper = treeMapper;
            this.blueprint = (DefaultDeserializationContext) objectMapper.getDeserializationContext();
            this.objects = objects;
            this.classes = classes;
            this.pool = objects.getAttributes().getAttribute(SharedStrings.POOL);
        }

        /**
         * Reads the element at the parser's current token; {@code bind}: whether an object that names its kind
         * first may be bound now, which holds unless the document already said it is not a list.
         */
        ListItem read(JsonParser parser, int index, boolean bind) throws IOException {
            int line = parser.currentTokenLocation().getLineNr();
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return new ListItem(index, line, null, null, treeMapper.readTree(parser), null, null, true);
            }
            // The object's tokens are kept only once it turns out not to be bound: while its keys are a leading
            // kind and apiVersion, they are only noted.
            TokenBuffer tokens = null;
            String kind = null;
            String apiVersion = null;
            boolean kindFirst = false;
            boolean plain = true;
            boolean leading = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                boolean isKind = key.equals("kind");
                if (!isKind && !key.equals("apiVersion")) {
                    leading = false;
                    tokens = started(tokens, kindFirst, kind, apiVersion);
                    tokens.copyCurrentStructure(parser);
                    continue;
                }
                JsonToken value = parser.nextToken();
                String text = value == JsonToken.VALUE_STRING ? SharedStrings.text(parser, pool) : null;
                if (leading && text != null) {
                    kindFirst |= isKind && apiVersion == null;
                } else {
                    tokens = started(tokens, kindFirst, kind, apiVersion);
                    tokens.writeFieldName(key);
                    tokens.copyCurrentStructure(parser);
                }
                plain &= text != null;
                leading &= text != null;
                if (isKind) {
                    kind = text;
                } else {
                    apiVersion = text;
                }
                if (bind && leading && kind != null && apiVersion != null) {
                    Class<? extends KubernetesResource> type = kind.isEmpty() ? null : classOf(apiVersion, kind);
                    if (type != null) {
                        KubernetesResource object = bind(parser, type, kindFirst, kind, apiVersion);
                        return new ListItem(index, line, object, null, null, kind, apiVersion, true);
                    }
                }
            }
            tokens = started(tokens, kindFirst, kind, apiVersion);
            tokens.writeEndObject();
            return new ListItem(index, line, null, tokens, null, kind, apiVersion, plain);
        }

        /**
         * The object whose leading kind and apiVersion were read: it is made from them, then the rest of it is read
         * into it straight from the parser, rather than through a parser that hands on every token.
         */
        private KubernetesResource bind(
                JsonParser parser,
                Class<? extends KubernetesResource> type,
                boolean kindFirst,
                String kind,
                String apiVersion)
                throws IOException {
            Binder binder = binderFor(parser, type);
            if (binder == null) {
                ObjectReader reader = readerFor(type);
                KubernetesResource object;
                try (JsonParser leadingKeys =
                        leadingKeys(kindFirst, kind, apiVersion).asParser()) {
                    object = reader.readValue(leadingKeys);
                }
                parser.nextToken();
                return reader.withValueToUpdate(object).readValue(parser);
            }
            // As the binder would set the two keys, in their order, and then read into the object (ObjectReader's
            // update), but with one context for the file instead of two contexts and a reader for each object.
            Object object = binder.instantiator().createUsingDefault(context);
            if (kindFirst) {
                binder.kind().set(object, kind);
            }
            binder.apiVersion().set(object, apiVersion);
            if (!kindFirst) {
                binder.kind().set(object, kind);
            }
            if (parser.nextToken() != JsonToken.END_OBJECT) {
                object = context.readRootValue(parser, binder.type(), binder.deserializer(), object);
                context.checkUnresolvedObjectId();
            }
            parser.clearCurrentToken();
            return type.cast(object);
        }

        /**
         * How objects of the class are bound with the file's context, or null if the class is not a plain bean
         * whose kind and apiVersion are string properties, to bind with a reader as before.
         */
        private Binder binderFor(JsonParser parser, Class<?> type) throws IOException {
            if (type == lastBinderClass) {
                return lastBinder;
            }
            if (!binders.containsKey(type)) {
                if (context == null) {
                    context = blueprint.createInstance(objects.getConfig(), parser, objects.getInjectableValues());
                    objects.getConfig().initialize(parser);
                }
                binders.put(type, Binder.of(context, type));
            }
            lastBinderClass = type;
            lastBinder = binders.get(type);
            return lastBinder;
        }

        /** A plain bean's deserializer, how it makes an object, and its kind and apiVersion. */
        private record Binder(
                JavaType type,
                JsonDeserializer<Object> deserializer,
                ValueInstantiator instantiator,
                SettableBeanProperty kind,
                SettableBeanProperty apiVersion) {

            static Binder of(DeserializationContext context, Class<?> type) throws IOException {
                JavaType javaType = context.constructType(type);
                JsonDeserializer<Object> deserializer = context.findRootValueDeserializer(javaType);
                if (deserializer.getClass() != BeanDeserializer.class) {
                    return null;
                }
                BeanDeserializer bean = (BeanDeserializer) deserializer;
                ValueInstantiator instantiator = bean.getValueInstantiator();
                SettableBeanProperty kind = bean.findProperty("kind");
                SettableBeanProperty apiVersion = bean.findProperty("apiVersion");
                if (!instantiator.canCreateUsingDefault()
                        || instantiator.canCreateFromObjectWith()
                        || instantiator.canCreateUsingDelegate()
                        || instantiator.canCreateUsingArrayDelegate()
                        || bean.getObjectIdReader() != null
                        || !isString(kind)
                        || !isString(apiVersion)) {
                    return null;
                }
                return new Binder(javaType, deserializer, instantiator, kind, apiVersion);
            }

            private static boolean isString(SettableBeanProperty property) {
                return property != null && property.getType().hasRawClass(String.class);
            }
        }

        /**
         * {@code tokens}, or new tokens that start the object with the leading kind and apiVersion noted so far, in
         * their order.
         */
        private TokenBuffer started(TokenBuffer tokens, boolean kindFirst, String kind, String apiVersion)
                throws IOException {
            if (tokens != null) {
                return tokens;
            }
            TokenBuffer started = new TokenBuffer(treeMapper, false);
            started.writeStartObject();
            writeTypeKeys(started, kindFirst, kind, apiVersion);
            return started;
        }

        /**
         * The object {@code {kind, apiVersion}} as tokens, to bind an object from; the same tokens serve the next
         * object of the same kind.
         */
        private TokenBuffer leadingKeys(boolean kindFirst, String kind, String apiVersion) throws IOException {
            if (leadingKeys == null
                    || leadingKindFirst != kindFirst
                    || !kind.equals(leadingKind)
                    || !apiVersion.equals(leadingApiVersion)) {
                leadingKeys = new TokenBuffer(treeMapper, false);
                leadingKeys.writeStartObject();
                writeTypeKeys(leadingKeys, kindFirst, kind, apiVersion);
                leadingKeys.writeEndObject();
                leadingKindFirst = kindFirst;
                leadingKind = kind;
                leadingApiVersion = apiVersion;
            }
            return leadingKeys;
        }

        private static void writeTypeKeys(TokenBuffer tokens, boolean kindFirst, String kind, String apiVersion)
                throws IOException {
            if (kindFirst) {
                tokens.writeStringField("kind", kind);
            }
            if (apiVersion != null) {
                tokens.writeStringField("apiVersion", apiVersion);
            }
            if (!kindFirst && kind != null) {
                tokens.writeStringField("kind", kind);
            }
        }

        /** The reader that binds objects of this class. */
        ObjectReader readerFor(Class<?> type) {
            // The last one is kept aside: a class's hash is its identity hash, a call into the JVM each time.
            if (type != lastReaderClass) {
                lastReader = readers.computeIfAbsent(type, objects::forType);
                lastReaderClass = type;
            }
            return lastReader;
        }

        private Class<? extends KubernetesResource> classOf(String apiVersion, String kind) {
            if (!apiVersion.equals(lastApiVersion) || !kind.equals(lastKind)) {
                lastClass = classes.apply(apiVersion, kind);
                lastApiVersion = apiVersion;
                lastKind = kind;
            }
            return lastClass;
        }
    }
}
