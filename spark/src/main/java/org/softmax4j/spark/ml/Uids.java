package org.softmax4j.spark.ml;

/**
 * Hands a Spark ML stage its uid while its superclass constructors run. Spark's Scala stages
 * receive the uid as a constructor parameter, which Scala assigns before the superclass
 * constructor creates the inherited params (each param records its parent's uid); a Java field
 * is assigned only after. So the constructor passes the uid through here, as an argument
 * expression evaluated before {@code super()}, and {@code uid()} answers from here until the field
 * is set.
 */
final class Uids {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private Uids() {}

    /** Stores the uid of the stage being constructed on this thread; returns it. */
    static String pending(String uid) {
        PENDING.set(java.util.Objects.requireNonNull(uid, "uid"));
        return uid;
    }

    /** The uid of the stage being constructed on this thread. */
    static String current() {
        String uid = PENDING.get();
        if (uid == null) throw new IllegalStateException("no stage is being constructed");
        return uid;
    }

    static void done() {
        PENDING.remove();
    }
}
