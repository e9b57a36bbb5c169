package org.softmax4j.spark.internal;

import java.util.Objects;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A softmax-regression model applied to a features column: a struct of
 * {@code rawPrediction} (vector of scores z = W x + b, as Spark ML's multinomial logistic
 * regression gives), {@code probability} (vector softmax(z)) and {@code prediction} (double, the
 * arg-max of z, the lowest index among ties; NaN for a row whose scores hold NaN). The weights travel as a broadcast, fetched once per executor; each task opens
 * its own native copy, closed when the task ends. A null or wrongly sized features value is an
 * error naming the column and the sizes.
 */
public final class ClassifierFunction extends BlockFunction {
    public static final String RAW = "rawPrediction";
    public static final String PROBABILITY = "probability";
    public static final String PREDICTION = "prediction";

    private final Broadcast<Core.Parameters> model;
    private final int classes;
    private final int features;

    public ClassifierFunction(Expression child, Broadcast<Core.Parameters> model, int classes, int features) {
        super(child);
        this.model = Objects.requireNonNull(model, "model");
        this.classes = classes;
        this.features = features;
    }

    /** The result type. */
    public static StructType resultType() {
        return new StructType(new StructField[] {
            new StructField(RAW, SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField(PROBABILITY, SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField(PREDICTION, DataTypes.DoubleType, false, Metadata.empty())});
    }

    @Override
    public DataType dataType() {
        return resultType();
    }

    @Override
    public boolean nullable() {
        return false;
    }

    @Override
    public TypeCheckResult checkInputDataTypes() {
        return checkKind("softmax4j classifier", "features as " + ColumnKind.ACCEPTED);
    }

    private String what() {
        return "features (" + inputName() + ")";
    }

    @Override
    public Object eval(org.apache.spark.sql.catalyst.InternalRow row) {
        return nullSafeEval(child().eval(row)); // a null is an error, raised by checkedLength
    }

    @Override
    protected Object nullSafeEval(Object v) {
        double[] x = new double[checkedLength(v)];
        kind().copy(v, features, java.nio.DoubleBuffer.wrap(x), 0L, 0, what());
        double[] z = Core.scores(model.value(), x);
        return result(z, Core.softmax(z));
    }

    /** The length of a features value, which must be the model's. */
    int checkedLength(Object v) {
        if (v == null) throw new IllegalArgumentException(what() + ": a row has null features");
        int n = kind().length(v);
        if (n != features) {
            throw new IllegalArgumentException(what() + ": a row has " + n + " features, the model takes " + features);
        }
        return n;
    }

    /** The struct of one row from its scores and probabilities. */
    static GenericInternalRow result(double[] z, double[] p) {
        return result(java.nio.DoubleBuffer.wrap(z), java.nio.DoubleBuffer.wrap(p), 0, z.length);
    }

    /** The struct of one row from its {@code n} scores and probabilities at index {@code at}. */
    static GenericInternalRow result(java.nio.DoubleBuffer z, java.nio.DoubleBuffer p, int at, int n) {
        int best = 0;
        boolean nan = false;
        for (int j = 0; j < n; j++) {
            double zj = z.get(at + j);
            if (Double.isNaN(zj)) nan = true;
            else if (zj > z.get(at + best)) best = j;
        }
        return new GenericInternalRow(new Object[] {ColumnKind.VECTOR.rowResult(z, at, n),
            ColumnKind.VECTOR.rowResult(p, at, n), nan ? Double.NaN : (double) best});
    }

    @Override
    public BlockKernel newKernel() {
        return new ClassifierKernel(this, model, kind(), features, classes, what());
    }

    @Override
    public String prettyName() {
        return "softmax4j_classifier";
    }

    @Override
    protected Expression withNewChild(Expression newChild) {
        return new ClassifierFunction(newChild, model, classes, features);
    }

    @Override
    public int productArity() {
        return 4;
    }

    @Override
    public Object productElement(int n) {
        return switch (n) {
            case 0 -> child();
            case 1 -> model;
            case 2 -> classes;
            case 3 -> features;
            default -> throw new IndexOutOfBoundsException(n);
        };
    }

    @Override
    public scala.collection.Iterator<Object> flatArguments() {
        return scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.<Object>of(child()).iterator());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassifierFunction f && f.model.id() == model.id() && f.child().equals(child());
    }

    @Override
    public int hashCode() {
        return Objects.hash(model.id(), child());
    }
}
