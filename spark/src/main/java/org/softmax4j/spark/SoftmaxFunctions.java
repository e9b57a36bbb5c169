package org.softmax4j.spark;

import java.util.List;
import java.util.Objects;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.execution.SparkStrategy;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.softmax4j.spark.internal.BlockStrategy;
import org.softmax4j.spark.internal.Core.RowOp;
import org.softmax4j.spark.internal.RowOpFunction;

import scala.Function1;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * softmax4j's column functions for Spark SQL: softmax, log-softmax and log-sum-exp of each row of
 * an {@code array<float>}, {@code array<double>} or ML {@code vector} column, at a temperature
 * τ &gt; 0 (default 1):
 * <pre>
 *   softmax(x, τ)_i     = exp(x_i/τ) / Σ_j exp(x_j/τ)
 *   log_softmax(x, τ)_i = x_i/τ − logsumexp(x, τ)
 *   logsumexp(x, τ)     = log Σ_j exp(x_j/τ)
 * </pre>
 * with the edge semantics of the core (README, "Edge cases"): an all −∞ row gives a NaN row and
 * log-sum-exp −∞; +∞ or NaN give NaN rows; an empty row gives an empty row and −∞.
 *
 * <h2>How rows are computed</h2>
 * In a projection ({@code select}, {@code withColumn}, SQL {@code SELECT}) the rows of a
 * partition are gathered into an off-heap block, and each run of rows of the same length is
 * computed by one native call; float arrays in single precision, double arrays and vectors in
 * double. Elsewhere (a filter condition, a join key, an aggregate, or a function nested in
 * another of these functions) the row is computed by the pure-Java reference, to the same
 * documented tolerance. A null row gives null; a null element is an error naming the element.
 *
 * <pre>{@code
 * SoftmaxFunctions.register(spark);            // SQL functions, and block evaluation
 * df.select(SoftmaxFunctions.softmax(col("logits"), 0.7));
 * spark.sql("SELECT logsumexp(logits) FROM t");
 * }</pre>
 * From PySpark: {@code spark._jvm.org.softmax4j.spark.SoftmaxFunctions.register(spark._jsparkSession)},
 * then the SQL names through {@code F.expr("softmax(logits, 0.7)")}.
 */
public final class SoftmaxFunctions {
    private SoftmaxFunctions() {}

    /** The SQL name of the log-sum-exp aggregate, {@code logsumexp_agg(x)}. */
    public static final String AGGREGATE_NAME = "logsumexp_agg";

    /** softmax(x) at τ = 1. */
    public static Column softmax(Column x) {
        return softmax(x, 1.0);
    }

    /**
     * softmax(x/τ) of each row.
     *
     * @throws IllegalArgumentException unless τ is finite and &gt; 0
     */
    public static Column softmax(Column x, double temperature) {
        return rowOp(RowOp.SOFTMAX, x, temperature);
    }

    /** log_softmax(x) at τ = 1. */
    public static Column logSoftmax(Column x) {
        return logSoftmax(x, 1.0);
    }

    /** log_softmax(x/τ) of each row, by the stable form (never the log of a rounded probability). */
    public static Column logSoftmax(Column x, double temperature) {
        return rowOp(RowOp.LOG_SOFTMAX, x, temperature);
    }

    /** logsumexp(x) at τ = 1. */
    public static Column logSumExp(Column x) {
        return logSumExp(x, 1.0);
    }

    /** log Σ_j exp(x_j/τ) of each row: float for {@code array<float>}, double otherwise. */
    public static Column logSumExp(Column x, double temperature) {
        return rowOp(RowOp.LOG_SUM_EXP, x, temperature);
    }

    /**
     * The log-sum-exp of a numeric column over the rows of a group, log Σ_r exp(x_r/τ), by
     * {@link LogSumExpAggregator}; nulls are skipped.
     */
    public static Column logSumExpAgg(Column x, double temperature) {
        return aggregate(temperature).apply(CollectionConverters.asScala(List.of(x)).toList());
    }

    /** logSumExpAgg(x) at τ = 1. */
    public static Column logSumExpAgg(Column x) {
        return logSumExpAgg(x, 1.0);
    }

    private static UserDefinedFunction aggregate(double temperature) {
        return functions.udaf(new LogSumExpAggregator(temperature), Encoders.DOUBLE()).withName(AGGREGATE_NAME);
    }

    private static Column rowOp(RowOp op, Column x, double temperature) {
        Objects.requireNonNull(x, "x");
        SparkSession.getActiveSession().foreach(s -> {
            enableBlocks(s);
            return null;
        });
        return ExpressionUtils.column(new RowOpFunction(ExpressionUtils.expression(x), op, temperature));
    }

    /**
     * Registers the SQL functions {@code softmax(x [, τ])}, {@code log_softmax(x [, τ])},
     * {@code logsumexp(x [, τ])} (τ a constant) and the aggregate {@code logsumexp_agg(x)} (τ =
     * 1) in this session, and enables block evaluation in it. Idempotent.
     */
    public static void register(SparkSession spark) {
        Objects.requireNonNull(spark, "spark");
        enableBlocks(spark);
        var registry = spark.sessionState().functionRegistry();
        for (RowOp op : RowOp.values()) {
            registry.createOrReplaceTempFunction(op.sqlName(), builder(op), "java_udf");
        }
        spark.udf().register(AGGREGATE_NAME, aggregate(1.0));
    }

    /**
     * Adds the planner strategy that computes these functions a block at a time to a session
     * (done by {@link #register} and by the first use of a column function). Idempotent.
     */
    public static void enableBlocks(SparkSession spark) {
        var experimental = spark.experimental();
        synchronized (experimental) {
            List<SparkStrategy> strategies = new java.util.ArrayList<>(CollectionConverters.asJava(experimental.extraStrategies()));
            if (strategies.stream().noneMatch(s -> s instanceof BlockStrategy)) {
                strategies.add(new BlockStrategy());
                experimental.extraStrategies_$eq(CollectionConverters.asScala(strategies).toList());
            }
        }
    }

    static Function1<Seq<Expression>, Expression> builder(RowOp op) {
        return new Builder(op);
    }

    /** Builds the expression of a SQL call, checking the arguments. */
    private static final class Builder extends AbstractFunction1<Seq<Expression>, Expression> implements java.io.Serializable {
        private final RowOp op;

        Builder(RowOp op) {
            this.op = op;
        }

        @Override
        public Expression apply(Seq<Expression> args) {
            int n = args.size();
            if (n < 1 || n > 2) {
                throw new IllegalArgumentException(op.sqlName() + " takes 1 or 2 arguments (x [, temperature]), got " + n);
            }
            double t = 1.0;
            if (n == 2) {
                Expression e = args.apply(1);
                Object v = e.foldable() ? e.eval(null) : null;
                if (v instanceof Number num) {
                    t = num.doubleValue();
                } else if (v instanceof org.apache.spark.sql.types.Decimal d) { // SQL's 0.7 is a decimal
                    t = d.toDouble();
                } else {
                    throw new IllegalArgumentException(op.sqlName() + ": temperature must be a numeric constant, got " + e.sql());
                }
            }
            return new RowOpFunction(args.apply(0), op, t);
        }
    }
}
