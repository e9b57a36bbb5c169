package org.softmax4j.natives;

/**
 * The service each platform jar ({@code softmax4j-<v>-<platform>.jar}, module
 * {@code org.softmax4j.<platform>}, e.g. {@code org.softmax4j.linux.x86_64}) provides.
 *
 * <p>Its job is on the module path: {@code org.softmax4j} {@code uses} this service, so
 * {@code java} binds every platform module it finds there into the graph, and each of those
 * {@code requires} the JavaCPP and OpenBLAS natives of its platform. Without it an application
 * that {@code requires org.softmax4j} alone would resolve no platform module and no preset
 * natives, and fall back to Java (a module graph holds only what something requires or binds).
 * The providers also say which platform jars are present, for the message when this platform's
 * is not (see {@link org.softmax4j.bridge.NativeCore#load}).
 */
public interface PlatformNatives {
    /**
     * The platform whose natives the jar carries.
     *
     * @return its name in JavaCPP's terms, e.g. {@code linux-arm64}
     */
    String platform();
}
