package org.softmax4j;

import java.lang.System.Logger.Level;

import org.bytedeco.javacpp.Loader;
import org.softmax4j.backend.JavaBackend;
import org.softmax4j.backend.NativeBackend;

/**
 * The backend instances. The native one is loaded once, on first demand (the holder idiom), so
 * that a program using only {@link Softmax#java()} never touches the native library.
 */
final class Backends {
    static final Softmax JAVA = new JavaBackend();

    private Backends() {}

    private static final class Native {
        static final Softmax INSTANCE;
        static final Throwable FAILURE;

        static {
            Softmax instance = null;
            Throwable failure = null;
            String warning = null;
            String platform = Loader.getPlatform();
            if ("false".equalsIgnoreCase(System.getProperty(Softmax.NATIVE_PROPERTY, "true"))) {
                failure = new IllegalStateException(
                        "disabled by -D" + Softmax.NATIVE_PROPERTY + "=false");
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

    static Softmax nativeOrNull() {
        return Native.INSTANCE;
    }

    static Throwable nativeFailure() {
        return Native.FAILURE;
    }

    /** The cause chain on one line: the innermost message is usually the one that explains. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) sb.append(" <- ");
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }
}
