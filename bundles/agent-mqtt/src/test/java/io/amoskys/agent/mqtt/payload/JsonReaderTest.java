package io.amoskys.agent.mqtt.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsEveryJsonTypeKeepingMemberOrder() throws Exception {
        Object json = JsonReader.parse(" {\"b\":[1,-2.5e2,true,false,null],\"a\":\"x\\\"\\u00e9\\n\",\"c\":{}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", Arrays.asList(1.0, -250.0, true, false, null));
        expected.put("a", "x\"é\n");
        expected.put("c", Map.of());
        assertEquals(expected, json);
        assertEquals(List.of("b", "a", "c"), List.copyOf(((Map<?, ?>) json).keySet()));
    }

    @Test
    void rejectsWhatRfc8259Rejects() {
        for (String bad : List.of("", "hello", "{", "{\"a\":1,}", "[1,]", "01", "1.", "-", "{'a':1}", "[1] x",
                "\"unterminated", "{\"a\" 1}", "NaN", "\"tab\there\"", "\"\\x\"", "tru")) {
            assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse(bad), bad);
        }
    }

    @Test
    void limitsNesting() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        JsonReader.JsonException e = assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than 32"), e.getMessage());
    }

    @Test
    void saysWhereTheErrorIs() {
        JsonReader.JsonException e = assertThrows(JsonReader.JsonException.class, () -> JsonReader.parse("{\"a\":x}"));
        assertEquals("unexpected 'x' at character 5", e.getMessage());
    }
}
