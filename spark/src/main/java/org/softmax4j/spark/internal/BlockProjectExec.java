package org.softmax4j.spark.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.Metadata;

import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractPartialFunction;

/**
 * A projection whose {@link BlockFunction}s are computed a block of rows at a time. Per task it
 * copies up to {@value #BLOCK_ROWS} input rows (or fewer, once their inputs hold
 * {@value #BLOCK_ELEMENTS} elements), evaluates each function's input on them, hands each
 * function's inputs to its {@link BlockKernel} (one native call per run of equal-length rows),
 * then emits the projection of each input row joined with its results. Kernels are made per task
 * and closed when its input is exhausted or, whatever happens, when the task ends.
 *
 * <p>Only block functions whose input holds no other block function are computed here; a nested
 * one is evaluated row by row in the output projection (documented in the README).
 */
public final class BlockProjectExec extends SparkPlan {
    static final int BLOCK_ROWS = 1024;
    static final long BLOCK_ELEMENTS = 1 << 18;

    private final Seq<NamedExpression> projectList;
    private final SparkPlan child;

    public BlockProjectExec(Seq<NamedExpression> projectList, SparkPlan child) {
        this.projectList = projectList;
        this.child = child;
    }

    public Seq<NamedExpression> projectList() {
        return projectList;
    }

    public SparkPlan child() {
        return child;
    }

    /** The block functions of a projection that this node computes (deduplicated, in order). */
    static List<BlockFunction> innermost(Seq<NamedExpression> projectList) {
        List<BlockFunction> found = new ArrayList<>();
        for (NamedExpression e : CollectionConverters.asJava(projectList)) collect((Expression) e, found);
        return found;
    }

    private static void collect(Expression e, List<BlockFunction> found) {
        if (e instanceof BlockFunction f && !contains(f.child())) {
            if (found.stream().noneMatch(g -> g.semanticEquals(f))) found.add(f);
            return;
        }
        for (Expression c : CollectionConverters.asJava(e.children())) collect(c, found);
    }

    private static boolean contains(Expression e) {
        if (e instanceof BlockFunction) return true;
        for (Expression c : CollectionConverters.asJava(e.children())) if (contains(c)) return true;
        return false;
    }

    @Override
    public Seq<Attribute> output() {
        List<Attribute> out = new ArrayList<>();
        for (NamedExpression e : CollectionConverters.asJava(projectList)) out.add(e.toAttribute());
        return CollectionConverters.asScala(out).toList();
    }

    @Override
    public Seq<SparkPlan> children() {
        return CollectionConverters.asScala(List.of(child)).toList();
    }

    @Override
    public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
        return new BlockProjectExec(projectList, newChildren.apply(0));
    }

    @Override
    public RDD<InternalRow> doExecute() {
        List<BlockFunction> functions = innermost(projectList);
        List<Attribute> results = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            BlockFunction f = functions.get(i);
            results.add(new AttributeReference("_softmax4j_" + i, f.dataType(), f.nullable(), Metadata.empty(),
                    NamedExpression.newExprId(), CollectionConverters.asScala(List.<String>of()).toList()));
        }
        List<Attribute> in = CollectionConverters.asJava(child.output());
        List<Expression> inputs = new ArrayList<>();
        for (BlockFunction f : functions) inputs.add(f.child().transformUp(new Bind(in)));
        List<Attribute> joined = new ArrayList<>(in);
        joined.addAll(results);
        List<Expression> outputs = new ArrayList<>();
        for (NamedExpression e : CollectionConverters.asJava(projectList)) {
            outputs.add(((Expression) e).transformUp(new Replace(functions, results)).transformUp(new Bind(joined)));
        }
        return child.execute().toJavaRDD().mapPartitions(new Evaluate(functions, inputs, outputs)).rdd();
    }

    /** Binds attributes to their ordinals in an input row (what Spark's BindReferences does). */
    private static final class Bind extends AbstractPartialFunction<Expression, Expression> implements java.io.Serializable {
        private final List<Attribute> input;

        Bind(List<Attribute> input) {
            this.input = input;
        }

        private int index(Expression e) {
            if (!(e instanceof AttributeReference a)) return -1;
            for (int i = 0; i < input.size(); i++) if (input.get(i).exprId().equals(a.exprId())) return i;
            throw new IllegalStateException("attribute " + a + " is not in the input " + input);
        }

        @Override
        public boolean isDefinedAt(Expression e) {
            return e instanceof AttributeReference;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A1 extends Expression, B1> B1 applyOrElse(A1 e, scala.Function1<A1, B1> otherwise) {
            if (!(e instanceof AttributeReference a)) return otherwise.apply(e);
            return (B1) new BoundReference(index(e), a.dataType(), a.nullable());
        }
    }

    /** Replaces each computed function by the attribute of its result. */
    private static final class Replace extends AbstractPartialFunction<Expression, Expression> implements java.io.Serializable {
        private final List<BlockFunction> functions;
        private final List<Attribute> results;

        Replace(List<BlockFunction> functions, List<Attribute> results) {
            this.functions = functions;
            this.results = results;
        }

        private int index(Expression e) {
            if (!(e instanceof BlockFunction)) return -1;
            for (int i = 0; i < functions.size(); i++) if (functions.get(i).semanticEquals(e)) return i;
            return -1;
        }

        @Override
        public boolean isDefinedAt(Expression e) {
            return index(e) >= 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A1 extends Expression, B1> B1 applyOrElse(A1 e, scala.Function1<A1, B1> otherwise) {
            int i = index(e);
            return i >= 0 ? (B1) results.get(i) : otherwise.apply(e);
        }
    }

    /** The per-partition work, shipped to the executors. */
    private static final class Evaluate implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
        private static final long serialVersionUID = 1L;
        private final List<BlockFunction> functions;
        private final List<Expression> inputs;
        private final List<Expression> outputs;

        Evaluate(List<BlockFunction> functions, List<Expression> inputs, List<Expression> outputs) {
            this.functions = new ArrayList<>(functions);
            this.inputs = new ArrayList<>(inputs);
            this.outputs = new ArrayList<>(outputs);
        }

        @Override
        public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
            TaskResources.useTaskThreads();
            List<BlockKernel> kernels = new ArrayList<>();
            for (BlockFunction f : functions) kernels.add(TaskResources.closeAtTaskEnd(f.newKernel()));
            UnsafeProjection projection = UnsafeProjection.create(CollectionConverters.asScala(outputs).toList());
            return new Blocks(rows, functions, inputs, kernels, projection);
        }
    }

    /** Pulls a block, computes it, then hands out its rows. */
    private static final class Blocks implements Iterator<InternalRow> {
        private final Iterator<InternalRow> rows;
        private final List<BlockFunction> functions;
        private final Expression[] inputs;
        private final List<BlockKernel> kernels;
        private final UnsafeProjection projection;
        private final InternalRow[] block = new InternalRow[BLOCK_ROWS];
        private final Object[][] in;
        private final Object[][] out;
        private final JoinedRow joined = new JoinedRow();
        private int size;
        private int next;

        Blocks(Iterator<InternalRow> rows, List<BlockFunction> functions, List<Expression> inputs,
                List<BlockKernel> kernels, UnsafeProjection projection) {
            this.rows = rows;
            this.functions = functions;
            this.inputs = inputs.toArray(new Expression[0]);
            this.kernels = kernels;
            this.projection = projection;
            this.in = new Object[functions.size()][BLOCK_ROWS];
            this.out = new Object[functions.size()][BLOCK_ROWS];
        }

        @Override
        public boolean hasNext() {
            if (next < size) return true;
            fill();
            if (size == 0) {
                kernels.forEach(BlockKernel::close); // done: release now, not at task end
                return false;
            }
            return true;
        }

        private void fill() {
            size = 0;
            next = 0;
            long elements = 0;
            while (size < BLOCK_ROWS && elements < BLOCK_ELEMENTS && rows.hasNext()) {
                InternalRow row = rows.next().copy();
                block[size] = row;
                for (int f = 0; f < inputs.length; f++) {
                    Object v = inputs[f].eval(row);
                    // A column's value is a view into the copied row; a computed one (a UDF, a
                    // cast) may live in a buffer its expression reuses for the next row.
                    if (v != null && !(inputs[f] instanceof BoundReference)) v = InternalRow.copyValue(v);
                    in[f][size] = v;
                    if (v != null) elements += functions.get(f).elements(v);
                }
                size++;
            }
            if (size == 0) return;
            for (int f = 0; f < inputs.length; f++) kernels.get(f).evaluate(in[f], size, out[f]);
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) throw new NoSuchElementException();
            int r = next++;
            Object[] values = new Object[out.length];
            for (int f = 0; f < out.length; f++) {
                values[f] = out[f][r];
                out[f][r] = null;
                in[f][r] = null;
            }
            InternalRow row = block[r];
            block[r] = null;
            return projection.apply(joined.apply(row, new GenericInternalRow(values)));
        }
    }

    @Override
    public int productArity() {
        return 2;
    }

    @Override
    public Object productElement(int n) {
        return switch (n) {
            case 0 -> projectList;
            case 1 -> child;
            default -> throw new IndexOutOfBoundsException(n);
        };
    }

    @Override
    public boolean canEqual(Object that) {
        return that instanceof BlockProjectExec;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockProjectExec b && b.projectList.equals(projectList) && b.child.equals(child);
    }

    @Override
    public int hashCode() {
        return 31 * projectList.hashCode() + child.hashCode();
    }
}
