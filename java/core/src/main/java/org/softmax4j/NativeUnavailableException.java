package org.softmax4j;

/**
 * The native backend cannot be used on this machine; {@link #getCause()} says why (a missing
 * library, a wrong platform, a failed symbol lookup, or the {@value Softmax#NATIVE_PROPERTY}
 * property set to false).
 */
public final class NativeUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NativeUnavailableException(Throwable cause) {
        super("softmax4j native backend unavailable: " + org.softmax4j.backend.Kernels.describe(cause), cause);
    }
}
