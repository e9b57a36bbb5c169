package org.softmax4j.spark.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Plans a projection that holds {@link BlockFunction}s as a {@link BlockProjectExec}. Over a scan
 * (a leaf relation, possibly under filters) a projection of just the columns it reads goes below
 * it, so that a file source still reads only those: file sources prune by the projection directly
 * above them, which this strategy has taken. Nowhere else: a plan node made here is not part of
 * the query's logical plan, so adaptive execution could not map a query stage (a shuffle, a
 * cached table) planned under it back to the logical plan, and would re-plan forever.
 */
public final class BlockStrategy extends SparkStrategy {

    @Override
    public Seq<SparkPlan> apply(LogicalPlan plan) {
        if (plan instanceof Project p && !BlockProjectExec.innermost(p.projectList()).isEmpty()) {
            LogicalPlan child = p.child();
            AttributeSet used = p.references();
            List<NamedExpression> kept = new ArrayList<>();
            for (Attribute a : CollectionConverters.asJava(child.output())) if (used.contains(a)) kept.add(a);
            LogicalPlan below = kept.size() < child.output().size() && isScan(child)
                    ? new Project(CollectionConverters.asScala(kept).toList(), child) : child;
            SparkPlan exec = new BlockProjectExec(p.projectList(), planLater(below));
            return CollectionConverters.asScala(List.of(exec)).toList();
        }
        return CollectionConverters.asScala(List.<SparkPlan>of()).toList();
    }

    /** A leaf that is not a cached table or a query stage, under nothing but filters. */
    static boolean isScan(LogicalPlan plan) {
        while (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Filter f) plan = f.child();
        return plan.children().isEmpty()
                && !(plan instanceof org.apache.spark.sql.execution.columnar.InMemoryRelation)
                && !plan.getClass().getSimpleName().equals("LogicalQueryStage");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockStrategy;
    }

    @Override
    public int hashCode() {
        return BlockStrategy.class.hashCode();
    }
}
