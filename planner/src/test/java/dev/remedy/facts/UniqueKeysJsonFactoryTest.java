package dev.remedy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniqueKeysJsonFactoryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode read(byte[] json) throws IOException {
        try (JsonParser parser = new UniqueKeysJsonFactory().createParser(json)) {
            return MAPPER.readTree(parser);
        }
    }

    private static JsonNode read(String json) throws IOException {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheSameKeysInSiblingAndNestedObjects() throws IOException {
        JsonNode node = read("""
                {"items": [{"a": 1, "b": {"a": 2, "b": 3}, "c": [{"a": 4}, {"a": 5, "b": 6}]},
                           {"a": 7, "b": {"a": 8}, "c": []}],
                 "a": 9}
                """);

        assertThat(node.at("/items/1/b/a").asInt()).isEqualTo(8);
        assertThat(node.at("/items/0/c/1/b").asInt()).isEqualTo(6);
        assertThat(node.path("a").asInt()).isEqualTo(9);
    }

    @Test
    void refusesAKeyTwiceInANestedObject() {
        assertThatThrownBy(() -> read("{\"items\": [{\"a\": 1}, {\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}]}"))
                .isInstanceOf(JsonParseException.class)
                .hasMessageStartingWith("Duplicate field 'c'");
    }

    @Test
    void refusesAKeyTwiceAmongManyKeys() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            json.append("\"k").append(i).append("\": ").append(i).append(", ");
        }
        json.append("\"k3\": 0}");

        assertThatThrownBy(() -> read(json.toString())).hasMessageStartingWith("Duplicate field 'k3'");
    }

    @Test
    void refusesAKeyTwiceAfterAByteOrderMark() {
        byte[] json = "\uFEFF{\"a\": {\"b\": 1, \"b\": 2}}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> read(json)).hasMessageStartingWith("Duplicate field 'b'");
    }

    @Test
    void goesOnAfterAStringTakenByItsBytesAsAfterOneItRead() throws IOException {
        byte[] json = "{\"a\": [\"shop\", \"shop\", \"caf\u00e9\", \"tab\\there\", \"shop\"], \"b\": 1}"
                .getBytes(StandardCharsets.UTF_8);
        Object pool = SharedStrings.newPool();
        List<String> values = new ArrayList<>();
        String text;
        try (JsonParser parser = new UniqueKeysJsonFactory().createParser(json)) {
            parser.nextToken();
            parser.nextToken();
            parser.nextToken();
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                values.add(SharedStrings.text(parser, pool));
            }
            text = parser.nextFieldName() + "=" + parser.nextIntValue(0);
        }

        assertThat(values).containsExactly("shop", "shop", "caf\u00e9", "tab\there", "shop");
        assertThat(values.get(1)).isSameAs(values.get(0));
        assertThat(values.get(4)).isSameAs(values.get(0));
        assertThat(text).isEqualTo("b=1");
    }

    @Test
    void givesTheTextOfAStringTakenByItsBytes() throws IOException {
        byte[] json = "[\"shop\", 7]".getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = new UniqueKeysJsonFactory().createParser(json)) {
            parser.nextToken();
            parser.nextToken();

            assertThat(SharedStrings.text(parser, SharedStrings.newPool())).isEqualTo("shop");
            assertThat(parser.getText()).isEqualTo("shop");
            assertThat(parser.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
            assertThat(parser.getIntValue()).isEqualTo(7);
        }
    }

    @Test
    void refusesAControlCharacterInAStringAsJacksonDoes() throws IOException {
        byte[] json = "[\"a\u0001b\"]".getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = new UniqueKeysJsonFactory().createParser(json)) {
            parser.nextToken();
            parser.nextToken();

            assertThatThrownBy(() -> SharedStrings.text(parser, SharedStrings.newPool()))
                    .isInstanceOf(JsonParseException.class)
                    .hasMessageContaining("Illegal unquoted character");
        }
    }
}
