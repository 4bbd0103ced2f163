package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.ByteSourceJsonBootstrapper;
import com.fasterxml.jackson.core.json.JsonReadContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes JSON parsers that refuse a key twice in an object, as {@link JsonParser.Feature#STRICT_DUPLICATE_DETECTION}
 * does, but without a new set for every object of three keys or more: Jackson's detector makes one each time, and
 * in a large snapshot those sets were a fifth of all that reading allocated. Each nesting level keeps the names of
 * its object in an array that the next object at that level reuses.
 *
 * <p>Only byte input in UTF-8 without a byte order mark gets such a parser, the case Jackson itself reads with a
 * {@link UTF8StreamJsonParser}; for other input this factory makes Jackson's own parser, with the feature enabled.
 */
final class UniqueKeysJsonFactory extends JsonFactory {

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext context) throws IOException {
        boolean bom = len >= 3
                && data[offset] == ByteSourceJsonBootstrapper.UTF8_BOM_1
                && data[offset + 1] == ByteSourceJsonBootstrapper.UTF8_BOM_2
                && data[offset + 2] == ByteSourceJsonBootstrapper.UTF8_BOM_3;
        if (bom
                || !isEnabled(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                || !isEnabled(JsonFactory.Feature.CHARSET_DETECTION)
                || new ByteSourceJsonBootstrapper(context, data, offset, len).detectEncoding() != JsonEncoding.UTF8) {
            JsonParser parser = super._createParser(data, offset, len, context);
            return parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        _streamReadConstraints.validateDocumentLength(len);
        return new Parser(
                context,
                _parserFeatures,
                _objectCodec,
                _byteSymbolCanonicalizer.makeChild(_factoryFeatures),
                data,
                offset,
                offset + len);
    }

    /**
     * Jackson's UTF-8 parser, on contexts that check keys. It lets {@link SharedStrings} take a short string value by
     * its bytes in the input, before Jackson decodes it into characters that would only be compared and dropped.
     */
    static final class Parser extends UTF8StreamJsonParser {
        // The last string value found plain (plainStringEnd): where its characters start, and its closing quote.
        private int scannedStart = -1;
        private int scannedEnd;

        Parser(
                IOContext context,
                int features,
                ObjectCodec codec,
                ByteQuadsCanonicalizer symbols,
                byte[] data,
                int start,
                int end) {
            super(context, features, null, codec, symbols, data, start, end, false);
            _parsingContext = KeyContext.root(this);
        }

        /**
         * Where the current string value ends in {@link #input()} (the index of its closing quote) if it is still
         * unread and at most {@code maxLength} ASCII characters without an escape, which its bytes then are one for
         * one; else -1, and the value is read as Jackson reads it, errors included. The parser is left as it was:
         * the string is still Jackson's to read (should anyone ask for its text) or to skip, which then takes the
         * end found here.
         */
        int plainStringEnd(int maxLength) {
            if (!_tokenIncomplete || _currToken != JsonToken.VALUE_STRING) {
                return -1;
            }
            byte[] input = _inputBuffer;
            int limit = Math.min(_inputEnd, _inputPtr + maxLength + 1);
            for (int i = _inputPtr; i < limit; i++) {
                byte b = input[i];
                if (b == '"') {
                    scannedStart = _inputPtr;
                    scannedEnd = i;
                    return i;
                }
                // Control characters (an error) and bytes of multi-byte characters (negative) are Jackson's.
                if (b < ' ' || b == '\\') {
                    return -1;
                }
            }
            return -1;
        }

        /** The input, in which the current string value starts at {@link #valueStart()}. */
        byte[] input() {
            return _inputBuffer;
        }

        int valueStart() {
            return _inputPtr;
        }

        @Override
        protected void _skipString() throws IOException {
            // The input of one parser only moves forward: the string scanned is the one still to skip.
            if (_inputPtr == scannedStart) {
                _tokenIncomplete = false;
                _inputPtr = scannedEnd + 1;
                return;
            }
            super._skipString();
        }
    }

    /** A parsing context that remembers the keys of its object; its children are such contexts too. */
    private static final class KeyContext extends JsonReadContext {
        // Past this many keys (labels, annotations) a set is faster than comparing with each.
        private static final int LISTED = 16;

        private final JsonParser parser;
        private String[] keys;
        private int count;
        private Set<String> more;

        static KeyContext root(JsonParser parser) {
            return new KeyContext(null, parser, TYPE_ROOT, 1, 0);
        }

        private KeyContext(KeyContext parent, JsonParser parser, int type, int line, int column) {
            super(parent, null, type, line, column);
            this.parser = parser;
        }

        @Override
        public JsonReadContext createChildArrayContext(int line, int column) {
            return child(TYPE_ARRAY, line, column);
        }

        @Override
        public JsonReadContext createChildObjectContext(int line, int column) {
            return child(TYPE_OBJECT, line, column);
        }

        private JsonReadContext child(int type, int line, int column) {
            if (_child == null) {
                _child = new KeyContext(this, parser, type, line, column);
            } else {
                _child.reset(type, line, column);
            }
            return _child;
        }

        @Override
        public void reset(int type, int line, int column) {
            super.reset(type, line, column);
            count = 0;
            more = null;
        }

        @Override
        public void setCurrentName(String name) throws JsonProcessingException {
            _currentName = name;
            if (!add(name)) {
                throw new JsonParseException(parser, "Duplicate field '" + name + "'");
            }
        }

        /** Adds a key of this object; false if it had it already. */
        private boolean add(String name) {
            if (more != null) {
                return more.add(name);
            }
            // Names are canonical within a parser, so that the same key is mostly the same string; different keys
            // mostly differ in their hashes, which each canonical name computes once, where equals reads both
            // names' bytes (at 5,000 nodes, 2% of a read).
            int hash = name.hashCode();
            for (int i = 0; i < count; i++) {
                String key = keys[i];
                if (key == name || (key.hashCode() == hash && key.equals(name))) {
                    return false;
                }
            }
            if (count == LISTED) {
                more = new HashSet<>(Arrays.asList(keys));
                return more.add(name);
            }
            if (keys == null) {
                keys = new String[LISTED];
            }
            keys[count++] = name;
            return true;
        }
    }
}
