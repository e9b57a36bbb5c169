package org.softmax4j.backend;

import java.lang.System.Logger.Level;

import org.bytedeco.javacpp.Loader;
import org.softmax4j.Softmax;

/**
 * The kernels, and the only place that knows which exist. The native one is loaded once, on
 * first demand (the holder idiom), so that a program using only {@link Softmax#java()} never
 * touches the native library; if it cannot load, the cause is kept and logged once.
 */
public final class Kernels {
    private static final Kernel JAVA = new JavaBackend();

    /** The system property that, set to {@code false}, keeps the native kernel unloaded. */
    public static final String NATIVE_PROPERTY = "softmax4j.native";

    /**
     * The system property choosing how calls reach the native core on JDK 22 and later:
     * {@code ffm} (the default: short row calls as critical FFM downcalls) or {@code jni} (every
     * call through JNI, as on JDK 17; for A/B measurements and as an escape hatch).
     */
    public static final String TRANSPORT_PROPERTY = "softmax4j.transport";

    private Kernels() {}

    /**
     * True unless {@link #TRANSPORT_PROPERTY} is {@code jni}.
     *
     * @throws IllegalArgumentException if it is neither {@code ffm} nor {@code jni}
     */
    static boolean ffmWanted() {
        String chosen = System.getProperty(TRANSPORT_PROPERTY, "ffm");
        if (chosen.equalsIgnoreCase("jni")) return false;
        if (chosen.equalsIgnoreCase("ffm")) return true;
        throw new IllegalArgumentException("-D" + TRANSPORT_PROPERTY + " must be ffm or jni, not " + chosen);
    }

    private static final class Native {
        static final Kernel INSTANCE;
        static final Throwable FAILURE;

        static {
            Kernel instance = null;
            Throwable failure = null;
            String warning = null;
            String platform = Loader.getPlatform();
            if ("false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY, "true"))) {
                failure = new IllegalStateException("disabled by -D" + NATIVE_PROPERTY + "=false");
            } else if (!NativeBackend.PLATFORMS.contains(platform)) {
                // Not even trying to load: the first failure would be OpenBLAS's, which explains
                // nothing. Expected on such a platform, not a fault: the warning says just that.
                String why = "softmax4j has no native library for " + platform;
                failure = new UnsupportedOperationException(
                        why + " (it has natives for " + String.join(", ", NativeBackend.PLATFORMS) + ")");
                warning = why + "; using the pure-Java backend";
            } else {
                try {
                    instance = NativeBackend.load();
                } catch (LinkageError | RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                System.getLogger("org.softmax4j").log(Level.WARNING, warning != null ? warning
                        : "softmax4j: native backend unavailable, using pure Java: " + describe(failure));
            }
            INSTANCE = instance;
            FAILURE = failure;
        }
    }

    /** The pure-Java kernel; always there. */
    public static Kernel java() {
        return JAVA;
    }

    /** The native kernel, or null if it cannot load. */
    public static Kernel nativeOrNull() {
        return Native.INSTANCE;
    }

    /** Why the native kernel is unavailable, or null if it loaded. */
    public static Throwable nativeFailure() {
        return Native.FAILURE;
    }

    /**
     * The kernel of a backend (of a {@link Softmax} instance, so the native one has loaded).
     *
     * @throws IllegalStateException for {@code NATIVE} when it could not load
     */
    public static Kernel of(Softmax.Backend backend) {
        if (backend == Softmax.Backend.JAVA) return JAVA;
        Kernel k = Native.INSTANCE;
        if (k == null) throw new IllegalStateException("native kernel unavailable", Native.FAILURE);
        return k;
    }

    /** The cause chain on one line: the innermost message is usually the one that explains. */
    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) sb.append(" <- ");
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }
}
