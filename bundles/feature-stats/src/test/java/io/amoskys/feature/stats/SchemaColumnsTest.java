package io.amoskys.feature.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaColumnsTest {
    /** A stand-in for a feature schema: its columns are its names in order. */
    private record Schema(List<String> names) {
        int indexOf(String name) {
            return names.indexOf(name);
        }
    }

    @Test
    void findsEachNameOncePerSchemaAndMinusOneForAMissingOne() {
        SchemaColumns columns = new SchemaColumns(List.of("b", "x", "a"));
        Schema first = new Schema(List.of("a", "b", "c"));
        Schema second = new Schema(List.of("x", "a"));
        int[] inFirst = columns.of(first, Schema::indexOf);
        assertArrayEquals(new int[] {1, -1, 0}, inFirst);
        assertArrayEquals(new int[] {-1, 0, 1}, columns.of(second, Schema::indexOf));
        assertSame(inFirst, columns.of(new Schema(List.of("a", "b", "c")), Schema::indexOf), "an equal schema is not looked up again");
    }
}
