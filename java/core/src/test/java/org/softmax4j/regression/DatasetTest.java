package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV reading and writing. */
class DatasetTest {
    @TempDir
    Path dir;

    static Dataset csv(String text, int labelColumn) throws IOException {
        return Dataset.readCsv(new StringReader(text), "t.csv", labelColumn);
    }

    @Test
    void readsHeaderLabelColumnsAndBlankLines() throws IOException {
        Dataset d = csv("a,b,label\n1,2,0\n\n3.5,-4,2\n", Dataset.LAST_COLUMN);
        assertEquals(2, d.rows());
        assertEquals(2, d.features());
        assertEquals(3, d.classes());
        assertArrayEquals(new double[] {1, 2, 3.5, -4}, d.x());
        assertArrayEquals(new int[] {0, 2}, d.labels());
        Dataset first = csv("1.0,7,8\n0,9,10\n", 0);
        assertArrayEquals(new double[] {7, 8, 9, 10}, first.x());
        assertArrayEquals(new int[] {1, 0}, first.labels());
    }

    private static void rejected(String text, int column, String mention) {
        IOException e = assertThrows(IOException.class, () -> csv(text, column));
        assertTrue(e.getMessage().contains(mention), () -> "should mention '" + mention + "': " + e.getMessage());
    }

    @Test
    void malformedCsvIsNamedByLineAndColumn() {
        rejected("1,2,0\n1,2\n", -1, "t.csv:2: expected 3 values, got 2");
        rejected("1,2,0\n1,x,0\n", -1, "t.csv:2: column 1: 'x' is not a number");
        rejected("1,2,0.5\n", -1, "the label '0.5' is not a non-negative integer");
        rejected("1,2,-1\n", -1, "the label '-1' is not a non-negative integer");
        rejected("1,NaN,1\n", -1, "'NaN' is not finite");
        rejected("1,2,1\n", 3, "label column 3 does not exist");
        rejected("h1,h2\n\n", -1, "no data rows");
    }

    @Test
    void writesWhatItReads() throws IOException {
        Dataset d = Dataset.digitsTest();
        Path f = dir.resolve("test.csv");
        d.writeCsv(f);
        Dataset back = Dataset.readCsv(f, Dataset.LAST_COLUMN);
        assertArrayEquals(d.x(), back.x());
        assertArrayEquals(d.labels(), back.labels());
        assertTrue(Files.readAllLines(f).get(0).matches("[0-9,]+"), "integers without decimal points");
        Dataset frac = Dataset.of(1, 2, new double[] {0.25, -3}, new int[] {4});
        frac.writeCsv(f);
        assertEquals("0.25,-3,4", Files.readString(f).strip());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
