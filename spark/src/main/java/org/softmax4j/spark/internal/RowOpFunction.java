package org.softmax4j.spark.internal;

import java.util.Objects;

import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.DataType;
import org.softmax4j.spark.internal.Core.RowOp;

import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * softmax, log_softmax or logsumexp of an {@code array<float>}, {@code array<double>} or
 * {@code vector} value at a temperature τ. Softmax and log-softmax give a value of the input's
 * type (arrays without null elements); log-sum-exp gives a float for float arrays, else a
 * double. A null value gives null; a null element is an error naming it.
 */
public final class RowOpFunction extends BlockFunction {
    private final RowOp op;
    private final double temperature;

    public RowOpFunction(Expression child, RowOp op, double temperature) {
        super(child);
        this.op = Objects.requireNonNull(op, "op");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(op.sqlName() + ": temperature must be finite and > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    public RowOp op() {
        return op;
    }

    public double temperature() {
        return temperature;
    }

    @Override
    public DataType dataType() {
        return op.reduces() ? kind().scalarType() : kind().rowType();
    }

    @Override
    public boolean nullable() {
        return child().nullable();
    }

    @Override
    public boolean nullIntolerant() {
        return true;
    }

    @Override
    public TypeCheckResult checkInputDataTypes() {
        return checkKind(op.sqlName(), ColumnKind.ACCEPTED);
    }

    @Override
    public BlockKernel newKernel() {
        return new RowOpKernel(op, kind(), temperature, what());
    }

    /** One row, outside a block: the pure-Java reference. */
    @Override
    protected Object nullSafeEval(Object input) {
        ColumnKind k = kind();
        String what = what();
        if (k.single()) {
            float[] x = k.toFloats(input, what);
            float[] y = new float[op.reduces() ? 1 : x.length];
            Core.row(op, x, y, temperature);
            return op.reduces() ? k.scalarResult(y[0]) : k.rowResult(java.nio.FloatBuffer.wrap(y), 0, y.length);
        }
        double[] x = k.toDoubles(input, what);
        double[] y = new double[op.reduces() ? 1 : x.length];
        Core.row(op, x, y, temperature);
        return op.reduces() ? k.scalarResult(y[0]) : k.rowResult(y);
    }

    /** Names the call in errors: "softmax(d)" ("softmax(input)" once Spark has bound the column away). */
    private String what() {
        return op.sqlName() + "(" + inputName() + ")";
    }

    @Override
    public String prettyName() {
        return op.sqlName();
    }

    @Override
    public String sql() {
        return op.sqlName() + "(" + child().sql() + (temperature == 1 ? "" : ", " + temperature) + ")";
    }

    @Override
    public Iterator<Object> flatArguments() {
        java.util.List<Object> args = temperature == 1 ? java.util.List.of(child()) : java.util.List.of(child(), temperature);
        return CollectionConverters.asScala(args.iterator());
    }

    @Override
    protected Expression withNewChild(Expression newChild) {
        return new RowOpFunction(newChild, op, temperature);
    }

    @Override
    public int productArity() {
        return 3;
    }

    @Override
    public Object productElement(int n) {
        return switch (n) {
            case 0 -> child();
            case 1 -> op;
            case 2 -> temperature;
            default -> throw new IndexOutOfBoundsException(n);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowOpFunction f && f.op == op && Double.compare(f.temperature, temperature) == 0
                && f.child().equals(child());
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, temperature, child());
    }
}
