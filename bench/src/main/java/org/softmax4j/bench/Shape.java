package org.softmax4j.bench;

/**
 * A batch shape, {@code rows × n}, written {@code "64x1000"} in JMH parameters and on the command
 * line.
 */
public record Shape(int rows, int n) implements Comparable<Shape> {

    public Shape {
        if (rows < 1 || n < 1) throw new IllegalArgumentException("a shape needs rows >= 1 and n >= 1, got " + rows + "x" + n);
        if ((long) rows * n > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("shape " + rows + "x" + n + " is too large for one Java array");
        }
    }

    /** Parses {@code "ROWSxN"} (also {@code ×} or {@code X}). */
    public static Shape parse(String s) {
        String[] parts = s.strip().split("[xX×]");
        if (parts.length != 2) throw new IllegalArgumentException("a shape is ROWSxN, e.g. 64x1000; got '" + s + "'");
        try {
            return new Shape(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a shape is ROWSxN, e.g. 64x1000; got '" + s + "'", e);
        }
    }

    /** rows × n. */
    public int elements() {
        return rows * n;
    }

    /** Smaller batches first; equal sizes by rows. */
    @Override
    public int compareTo(Shape o) {
        int c = Integer.compare(elements(), o.elements());
        return c != 0 ? c : Integer.compare(rows, o.rows);
    }

    /** The parameter form, {@code "64x1000"}. */
    @Override
    public String toString() {
        return rows + "x" + n;
    }
}
