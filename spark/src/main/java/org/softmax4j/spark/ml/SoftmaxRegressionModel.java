package org.softmax4j.spark.ml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.softmax4j.spark.SoftmaxFunctions;
import org.softmax4j.spark.internal.ClassifierFunction;
import org.softmax4j.spark.internal.ColumnKind;
import org.softmax4j.spark.internal.Core;

import scala.Option;

/**
 * A softmax-regression classifier as a Spark ML {@code Model}: weights W (classes × features)
 * and a bias b, applied to the features column. {@link #transform} adds Spark ML's columns:
 * <ul>
 *   <li>{@code rawPredictionCol}: the scores z = W x + b (as Spark ML's multinomial
 *       {@code LogisticRegressionModel});</li>
 *   <li>{@code probabilityCol}: P = softmax(z);</li>
 *   <li>{@code predictionCol}: the arg-max class as a double (lowest index among ties; NaN for a
 *       row whose scores hold NaN).</li>
 * </ul>
 * An empty column name leaves that column out. The features may be an ML vector (dense or
 * sparse), {@code array<double>} or {@code array<float>}; a null or wrongly sized value fails the
 * task with a message naming the sizes.
 *
 * <p>Rows are scored a block at a time: a partition's features are packed into an off-heap block,
 * one native call computes the scores of the whole block (the GEMM, on the task's threads) and
 * one more their softmax. The weights are broadcast once per model; each task opens its own native copy and
 * closes it when the task ends, whatever happens.
 *
 * <p>Saved with {@code write().save(path)} (ML persistence: metadata and a Parquet file of the
 * weights, loadable by {@link #load(String)} and inside a {@code Pipeline}), or as the core's
 * {@code .npz} with {@link #saveNpz} / {@link #fromNpz}, which {@code numpy.load} and
 * {@code bin/softmax4j predict} read too.
 */
public final class SoftmaxRegressionModel extends ProbabilisticClassificationModel<Vector, SoftmaxRegressionModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Core.Parameters parameters;
    private transient Broadcast<Core.Parameters> broadcast;
    private double[] objectiveHistory = new double[0];
    private String stopReason = "";

    SoftmaxRegressionModel(String uid, Core.Parameters parameters) {
        this(parameters, Uids.pending(uid));
    }

    /** The uid is needed while Spark's superclass constructors run: see {@link Uids}. */
    private SoftmaxRegressionModel(Core.Parameters parameters, String uid) {
        this.uid = uid;
        this.parameters = parameters;
        Uids.done();
    }

    /**
     * A model with these weights (classes × features, row-major) and bias, copied.
     *
     * @throws IllegalArgumentException if the sizes do not match or a value is not finite
     */
    public static SoftmaxRegressionModel of(int classes, int features, double[] weights, double[] bias) {
        return new SoftmaxRegressionModel(Identifiable.randomUID("softmax4j"),
                new Core.Parameters(classes, features, weights.clone(), bias.clone()));
    }

    /** Reads a model from the core's {@code .npz} model file. */
    public static SoftmaxRegressionModel fromNpz(Path file) throws IOException {
        return new SoftmaxRegressionModel(Identifiable.randomUID("softmax4j"), Core.load(file));
    }

    /** Writes the model as the core's {@code .npz} model file, complete or not at all. */
    public void saveNpz(Path file) throws IOException {
        Core.save(parameters, file);
    }

    @Override
    public String uid() {
        return uid != null ? uid : Uids.current();
    }

    @Override
    public int numClasses() {
        return parameters.classes();
    }

    @Override
    public int numFeatures() {
        return parameters.features();
    }

    /** A copy of W, classes × features, row-major. */
    public double[] weights() {
        return parameters.weights().clone();
    }

    /** A copy of b. */
    public double[] bias() {
        return parameters.bias().clone();
    }

    /** The objective after each training iteration (empty for a model that was not trained here). */
    public double[] objectiveHistory() {
        return objectiveHistory.clone();
    }

    /** Why training stopped: CONVERGED, NO_IMPROVEMENT, MAX_EPOCHS or NO_DESCENT ("" if not trained here). */
    public String stopReason() {
        return stopReason;
    }

    SoftmaxRegressionModel withTraining(double[] history, String stop) {
        this.objectiveHistory = history.clone();
        this.stopReason = stop;
        return this;
    }

    Core.Parameters parameters() {
        return parameters;
    }

    // ---------------------------------------------------------------- scoring

    @Override
    public StructType transformSchema(StructType schema) {
        String f = getFeaturesCol();
        if (!Arrays.asList(schema.fieldNames()).contains(f)) {
            throw new IllegalArgumentException("features column " + f + " does not exist; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        if (ColumnKind.of(schema.apply(f).dataType()) == null) {
            throw new IllegalArgumentException("features column " + f + " must be " + ColumnKind.ACCEPTED + ", got "
                    + schema.apply(f).dataType().simpleString());
        }
        StructType out = schema;
        StructType result = ClassifierFunction.resultType();
        String[][] columns = {{getRawPredictionCol(), ClassifierFunction.RAW},
            {getProbabilityCol(), ClassifierFunction.PROBABILITY}, {getPredictionCol(), ClassifierFunction.PREDICTION}};
        for (String[] c : columns) {
            if (c[0].isEmpty()) continue;
            if (Arrays.asList(out.fieldNames()).contains(c[0])) {
                throw new IllegalArgumentException("output column " + c[0] + " already exists");
            }
            out = out.add(new StructField(c[0], result.apply(c[1]).dataType(), false, result.apply(c[1]).metadata()));
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        SoftmaxFunctions.enableBlocks(spark);
        Column features = dataset.col(getFeaturesCol());
        Column struct = ExpressionUtils.column(new ClassifierFunction(ExpressionUtils.expression(features),
                broadcast(spark), parameters.classes(), parameters.features()));
        String tmp = "_softmax4j_" + uid;
        Dataset<Row> out = dataset.toDF().withColumn(tmp, struct);
        if (!getRawPredictionCol().isEmpty()) out = out.withColumn(getRawPredictionCol(), out.col(tmp).getField(ClassifierFunction.RAW));
        if (!getProbabilityCol().isEmpty()) out = out.withColumn(getProbabilityCol(), out.col(tmp).getField(ClassifierFunction.PROBABILITY));
        if (!getPredictionCol().isEmpty()) out = out.withColumn(getPredictionCol(), out.col(tmp).getField(ClassifierFunction.PREDICTION));
        return out.drop(tmp);
    }

    /** The weights as a broadcast: made once per model, cleaned up by Spark when the model is collected. */
    private synchronized Broadcast<Core.Parameters> broadcast(SparkSession spark) {
        if (broadcast == null) {
            broadcast = spark.sparkContext().broadcast(parameters, scala.reflect.ClassTag$.MODULE$.apply(Core.Parameters.class));
        }
        return broadcast;
    }

    /** The scores of one vector, by the pure-Java reference. */
    @Override
    public Vector predictRaw(Vector features) {
        if (features.size() != parameters.features()) {
            throw new IllegalArgumentException("features: got " + features.size() + ", the model takes " + parameters.features());
        }
        return Vectors.dense(Core.scores(parameters, features.toArray()));
    }

    /** softmax(raw), by the pure-Java reference. */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        if (!(raw instanceof DenseVector d)) throw new IllegalArgumentException("raw predictions must be dense");
        double[] p = Core.softmax(d.values());
        System.arraycopy(p, 0, d.values(), 0, p.length);
        return d;
    }

    /** No training summary: the model itself and its output columns. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return new scala.Tuple3(this, getProbabilityCol(), getPredictionCol());
    }

    @Override
    public SoftmaxRegressionModel copy(ParamMap extra) {
        SoftmaxRegressionModel m = new SoftmaxRegressionModel(uid, parameters).withTraining(objectiveHistory, stopReason);
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public String toString() {
        return "SoftmaxRegressionModel: uid=" + uid + ", classes=" + numClasses() + ", features=" + numFeatures();
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<SoftmaxRegressionModel> read() {
        return new Reader();
    }

    public static SoftmaxRegressionModel load(String path) {
        return read().load(path);
    }

    private static StructType dataSchema() {
        return new StructType(new StructField[] {
            new StructField("classes", DataTypes.IntegerType, false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField("features", DataTypes.IntegerType, false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField("weights", DataTypes.createArrayType(DataTypes.DoubleType, false), false,
                    org.apache.spark.sql.types.Metadata.empty()),
            new StructField("bias", DataTypes.createArrayType(DataTypes.DoubleType, false), false,
                    org.apache.spark.sql.types.Metadata.empty())});
    }

    /** Metadata (params) by Spark's DefaultParamsWriter, the weights as one Parquet row in data/. */
    private static final class Writer extends MLWriter {
        private final SoftmaxRegressionModel model;

        Writer(SoftmaxRegressionModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Core.Parameters p = model.parameters;
            Row row = RowFactory.create(p.classes(), p.features(), toList(p.weights()), toList(p.bias()));
            sparkSession().createDataFrame(List.of(row), dataSchema()).repartition(1).write().parquet(path + "/data");
        }

        private static List<Double> toList(double[] v) {
            return Arrays.stream(v).boxed().toList();
        }
    }

    private static final class Reader extends MLReader<SoftmaxRegressionModel> {
        @Override
        public SoftmaxRegressionModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    SoftmaxRegressionModel.class.getName());
            Row r = sparkSession().read().parquet(path + "/data").head();
            double[] w = r.getList(2).stream().mapToDouble(o -> (Double) o).toArray();
            double[] b = r.getList(3).stream().mapToDouble(o -> (Double) o).toArray();
            SoftmaxRegressionModel m = new SoftmaxRegressionModel(meta.uid(), new Core.Parameters(r.getInt(0), r.getInt(1), w, b));
            meta.getAndSetParams(m, Option.empty());
            return m;
        }
    }

}
