package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One element of a list's {@code items}, kept as the parser's tokens rather than as a tree: binding a fabric8 object
 * from buffered tokens costs a fraction of building a tree and walking it again, and the kind that decides the
 * class may come only after the items (kubectl writes {@code kind} last). Elements that are not objects are kept as
 * trees, for the note that skips them.
 *
 * @param index the element's place in {@code items}, for the path of a mapping error
 * @param line where the element starts
 * @param tokens the object's tokens, or null for an element that is not an object
 * @param node the element that is not an object, or null
 * @param kind the object's own {@code kind} when it is a string, else null
 * @param apiVersion the object's own {@code apiVersion} when it is a string, else null
 * @param plain whether {@code kind} and {@code apiVersion} are absent or strings, so that the object can be bound
 *     without looking at it as a tree
 */
record ListItem(int index, int line, TokenBuffer tokens, JsonNode node, String kind, String apiVersion, boolean plain) {

    boolean isObject() {
        return tokens != null;
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
     * Copies the {@code items} element at the parser's current token. Duplicate keys are refused here, as reading
     * a tree with {@code FAIL_ON_READING_DUP_TREE_KEY} does: binding would otherwise keep the last value silently.
     */
    static final class Reader {
        private final ObjectMapper treeMapper;
        private final ObjectCodec codec;
        private final List<Keys> keysByDepth = new ArrayList<>();

        Reader(ObjectMapper treeMapper, ObjectCodec codec) {
            this.treeMapper = treeMapper;
            this.codec = codec;
        }

        ListItem read(JsonParser parser, int index) throws IOException {
            int line = parser.currentTokenLocation().getLineNr();
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return new ListItem(index, line, null, treeMapper.readTree(parser), null, null, true);
            }
            TokenBuffer tokens = new TokenBuffer(codec, false);
            String kind = null;
            String apiVersion = null;
            boolean plain = true;
            String topLevelKey = null;
            int depth = 0;
            JsonToken token = parser.currentToken();
            do {
                switch (token) {
                    case START_OBJECT -> keys(++depth).clear();
                    case START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        String key = parser.currentName();
                        if (!keys(depth).add(key)) {
                            throw new JsonParseException(parser, "Duplicate field '" + key + "'");
                        }
                        topLevelKey = depth == 1 ? key : null;
                    }
                    default -> {}
                }
                if (topLevelKey != null && token != JsonToken.FIELD_NAME) {
                    boolean text = token == JsonToken.VALUE_STRING;
                    if (topLevelKey.equals("kind")) {
                        kind = text ? parser.getText() : null;
                        plain &= text;
                    } else if (topLevelKey.equals("apiVersion")) {
                        apiVersion = text ? parser.getText() : null;
                        plain &= text;
                    }
                    topLevelKey = null;
                }
                tokens.copyCurrentEvent(parser);
            } while (depth > 0 && (token = parser.nextToken()) != null);
            return new ListItem(index, line, tokens, null, kind, apiVersion, plain);
        }

        private Keys keys(int depth) {
            while (keysByDepth.size() <= depth) {
                keysByDepth.add(new Keys());
            }
            return keysByDepth.get(depth);
        }
    }

    /**
     * The keys of one object so far. Objects in Kubernetes have a handful of keys, so a scan of an array (the JSON
     * parser hands out canonical key strings, mostly equal by reference) beats hashing every key into a set.
     */
    private static final class Keys {
        private static final int SCANNED = 16;
        private final String[] first = new String[SCANNED];
        private int size;
        private Set<String> rest;

        void clear() {
            size = 0;
            if (rest != null) {
                rest.clear();
            }
        }

        boolean add(String key) {
            int scanned = Math.min(size, SCANNED);
            for (int i = 0; i < scanned; i++) {
                String seen = first[i];
                if (seen == key || seen.equals(key)) {
                    return false;
                }
            }
            if (size < SCANNED) {
                first[size++] = key;
                return true;
            }
            if (rest == null) {
                rest = new HashSet<>();
            }
            if (!rest.add(key)) {
                return false;
            }
            size++;
            return true;
        }
    }
}
