package org.softmax4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table whose columns are as wide as their widest cell, two spaces apart: values of
 * any magnitude (−0.31 or −20000.31) stay separated and aligned. The first {@code leftColumns}
 * columns (labels) are aligned left, the others (numbers) right.
 */
final class TextTable {
    static final String GAP = "  ";

    private final int leftColumns;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(int leftColumns) {
        this.leftColumns = leftColumns;
    }

    /** Adds a row; rows may have different numbers of cells. */
    TextTable row(String... cells) {
        rows.add(cells.clone());
        return this;
    }

    /** Prints the table, each line starting with {@code indent}, without trailing blanks. */
    void print(PrintWriter out, String indent) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int c = 0; c < r.length; c++) {
                if (c > 0) sb.append(GAP);
                String pad = " ".repeat(width[c] - r[c].length());
                sb.append(c < leftColumns ? r[c] + pad : pad + r[c]);
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
