package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
        // A reader per class: forType looks up its deserializer again each time. The items of a list are mostly of
        // one kind, so the class of the last kind is kept.
        private final Map<Class<?>, ObjectReader> readers = new HashMap<>();
        private String lastApiVersion;
        private String lastKind;
        private Class<? extends KubernetesResource> lastClass;

        /**
         * {@code classes} gives the class to bind an object of an apiVersion and a kind to, or null for an object
         * the tree-based reading must see (a nested list, one of the snapshot's own kinds).
         */
        Reader(
                ObjectMapper treeMapper,
                ObjectReader objects,
                BiFunction<String, String, Class<? extends KubernetesResource>> classes) {
            this.treeMapper = treeMapper;
            this.objects = objects;
            this.classes = classes;
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
            TokenBuffer tokens = new TokenBuffer(treeMapper, false);
            tokens.writeStartObject();
            String kind = null;
            String apiVersion = null;
            boolean plain = true;
            boolean leading = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                boolean typeKey = key.equals("kind") || key.equals("apiVersion");
                if (!typeKey) {
                    leading = false;
                    tokens.copyCurrentStructure(parser);
                    continue;
                }
                tokens.writeFieldName(key);
                JsonToken value = parser.nextToken();
                String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                plain &= text != null;
                leading &= text != null;
                if (key.equals("kind")) {
                    kind = text;
                } else {
                    apiVersion = text;
                }
                tokens.copyCurrentStructure(parser);
                if (bind && leading && kind != null && apiVersion != null) {
                    Class<? extends KubernetesResource> type = kind.isEmpty() ? null : classOf(apiVersion, kind);
                    if (type != null) {
                        // The object is made from its leading keys, then the binder reads the rest of it into the
                        // object straight from the parser, rather than through a parser that hands on every token.
                        tokens.writeEndObject();
                        ObjectReader reader = readerFor(type);
                        KubernetesResource object;
                        try (JsonParser leadingKeys = tokens.asParser()) {
                            object = reader.readValue(leadingKeys);
                        }
                        parser.nextToken();
                        object = reader.withValueToUpdate(object).readValue(parser);
                        return new ListItem(index, line, object, null, null, kind, apiVersion, true);
                    }
                }
            }
            tokens.writeEndObject();
            return new ListItem(index, line, null, tokens, null, kind, apiVersion, plain);
        }

        /** The reader that binds objects of this class. */
        ObjectReader readerFor(Class<?> type) {
            return readers.computeIfAbsent(type, objects::forType);
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
