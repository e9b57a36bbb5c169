package org.softmax4j.spark.internal;

import java.util.Objects;

import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;

/**
 * A Catalyst expression of one input that is computed a block of rows at a time: inside a
 * projection, {@link BlockStrategy} plans it as a {@link BlockProjectExec}, which gathers a block
 * of input values and hands them to one {@link BlockKernel} per task. Anywhere else (a filter
 * condition, a join key, an aggregate) Spark evaluates it row by row through {@link #nullSafeEval},
 * with the pure-Java reference: the same results to the core's documented tolerance, without one
 * JNI call per row.
 *
 * <p>Catalyst copies expressions by reflection on the constructor whose parameters are the
 * product elements, in order; subclasses keep that shape and define {@code equals} on them.
 */
public abstract class BlockFunction extends Expression implements CodegenFallback, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Expression child;

    protected BlockFunction(Expression child) {
        this.child = Objects.requireNonNull(child, "child");
    }

    /** The input. */
    public final Expression child() {
        return child;
    }

    @Override
    public final scala.collection.immutable.Seq<Expression> children() {
        return scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(child)).toList();
    }

    @Override
    public final Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> children) {
        return withNewChild(children.apply(0));
    }

    /** This function of another input. */
    protected abstract Expression withNewChild(Expression newChild);

    /** Row by row (outside a block): null for a null input, else {@link #nullSafeEval}. */
    @Override
    public Object eval(InternalRow row) {
        Object v = child.eval(row);
        return v == null ? null : nullSafeEval(v);
    }

    /** One non-null input, outside a block. */
    protected abstract Object nullSafeEval(Object input);

    /** Elements of one (non-null) input value, to bound the size of a block. */
    public int elements(Object input) {
        return kind().length(input);
    }

    /** A worker for one task; the caller closes it. */
    public abstract BlockKernel newKernel();

    /** The input type check, with a message naming the function and the accepted types. */
    protected final TypeCheckResult checkKind(String name, String accepted) {
        if (ColumnKind.of(child.dataType()) != null) return TypeCheckResult.TypeCheckSuccess$.MODULE$;
        return new TypeCheckResult.TypeCheckFailure(name + " takes " + accepted + ", got "
                + child.dataType().simpleString() + " (" + child.sql() + ")");
    }

    /** The input's SQL text for messages; "input" for a column Spark has bound to an ordinal. */
    protected final String inputName() {
        return child instanceof org.apache.spark.sql.catalyst.expressions.BoundReference ? "input" : child.sql();
    }

    /** The kind of the (resolved) input. */
    protected final ColumnKind kind() {
        return ColumnKind.of(child.dataType());
    }

    @Override
    public final ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
        return CodegenFallback.super.doGenCode(ctx, ev);
    }

    @Override
    public final boolean canEqual(Object that) {
        return that != null && that.getClass() == getClass();
    }
}
