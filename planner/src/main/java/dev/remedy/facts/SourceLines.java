package dev.remedy.facts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;

/**
 * Finds the line of the field a mapping error points at, by reading the document again as a stream of
 * tokens. Records and trees are built from buffered values, so the error's own location is often the end of
 * the document; this runs only on the error path, so normal reads keep no locations.
 */
public final class SourceLines {

    private SourceLines() {}

    /** The JSON pointer of the value a mapping error is about, e.g. {@code /files/0/contents}. */
    public static JsonPointer pointer(JsonMappingException e) {
        JsonPointer pointer = JsonPointer.empty();
        for (JsonMappingException.Reference reference : e.getPath()) {
            pointer = reference.getFieldName() != null
                    ? pointer.appendProperty(reference.getFieldName())
                    : pointer.appendIndex(reference.getIndex());
        }
        return pointer;
    }

    /**
     * The line of the field at the error's path in the {@code documentIndex}-th document of {@code bytes}, or
     * {@code fallback} when it cannot be found.
     */
    public static int line(JsonFactory factory, byte[] bytes, int documentIndex, Throwable error, int fallback) {
        return line(factory, bytes, documentIndex, JsonPointer.empty(), error, fallback);
    }

    /**
     * As {@link #line(JsonFactory, byte[], int, Throwable, int)}, for an error about the value at {@code within} in
     * that document (such as one item of a list) rather than about the whole document.
     */
    public static int line(
            JsonFactory factory, byte[] bytes, int documentIndex, JsonPointer within, Throwable error, int fallback) {
        if (!(error instanceof JsonMappingException mapping)
                || mapping.getPath().isEmpty()) {
            return fallback;
        }
        String target = within.append(pointer(mapping)).toString();
        try (JsonParser parser = factory.createParser(bytes)) {
            int index = 0;
            while (parser.nextToken() != null) {
                if (index == documentIndex) {
                    return scan(parser, target, fallback);
                }
                parser.skipChildren();
                index++;
            }
        } catch (IOException e) {
            return fallback;
        }
        return fallback;
    }

    private static int scan(JsonParser parser, String target, int fallback) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.FIELD_NAME
                    && parser.getParsingContext().pathAsPointer().toString().equals(target)) {
                return parser.currentTokenLocation().getLineNr();
            }
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && parser.nextToken() != null);
        return fallback;
    }
}
