package dev.remedy.knowledge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value as written in a scenario file, remembering the line of every scalar so that a CEL error in a
 * {@code ${...}} template can name it. The value is a String, Number, Boolean, null, a
 * {@code Map<String, TemplateNode>} (in file order) or a {@code List<TemplateNode>}.
 */
@JsonDeserialize(using = TemplateNode.Deserializer.class)
public record TemplateNode(Object value, int line) {

    @SuppressWarnings("unchecked")
    public Map<String, TemplateNode> asMap() {
        return (Map<String, TemplateNode>) value;
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    /** Reads any YAML value, keeping lines. Duplicate keys are an error, as everywhere in the knowledge base. */
    static final class Deserializer extends JsonDeserializer<TemplateNode> {
        @Override
        public TemplateNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return read(parser, context);
        }

        private static TemplateNode read(JsonParser parser, DeserializationContext context) throws IOException {
            int line = parser.currentTokenLocation().getLineNr();
            JsonToken token = parser.currentToken();
            switch (token) {
                case START_OBJECT -> {
                    Map<String, TemplateNode> map = new LinkedHashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        parser.nextToken();
                        if (map.put(key, read(parser, context)) != null) {
                            return context.reportInputMismatch(TemplateNode.class, "duplicate key (%s)", key);
                        }
                    }
                    return new TemplateNode(map, line);
                }
                case START_ARRAY -> {
                    List<TemplateNode> list = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        list.add(read(parser, context));
                    }
                    return new TemplateNode(list, line);
                }
                case VALUE_STRING -> {
                    return new TemplateNode(parser.getText(), line);
                }
                case VALUE_NUMBER_INT -> {
                    return new TemplateNode(parser.getLongValue(), line);
                }
                case VALUE_NUMBER_FLOAT -> {
                    return new TemplateNode(parser.getDoubleValue(), line);
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return new TemplateNode(parser.getBooleanValue(), line);
                }
                case VALUE_NULL -> {
                    return new TemplateNode(null, line);
                }
                default -> {
                    return context.reportInputMismatch(TemplateNode.class, "unexpected %s", token);
                }
            }
        }

        @Override
        public TemplateNode getNullValue(DeserializationContext context) {
            return new TemplateNode(null, 0);
        }
    }
}
