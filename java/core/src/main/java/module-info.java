/**
 * softmax4j: softmax, log-softmax and log-sum-exp over batches of rows, their derivatives, and
 * the softmax-regression head, in a native core (with a pure-Java reference behind the same
 * API). Start at {@link org.softmax4j.Softmax}.
 *
 * <p>On JDK 22 and later, grant native access to this module and JavaCPP's, which loads the
 * native library: {@code --enable-native-access=org.softmax4j,org.bytedeco.javacpp} (on the
 * class path: {@code --enable-native-access=ALL-UNNAMED}).
 */
module org.softmax4j {
    // JavaCPP's pointers are part of the API.
    requires transitive org.bytedeco.javacpp;
    // The native library links OpenBLAS, which JavaCPP loads from its preset first.
    requires org.bytedeco.openblas;
    // The natives are in one jar per platform (softmax4j-<v>-linux-x86_64.jar, -linux-arm64.jar),
    // each the module org.softmax4j.<platform>, which requires the presets' natives of that
    // platform. Each provides this service, so that `java` binds every platform module on the
    // module path into the graph (and with it those natives): `requires org.softmax4j` is all
    // an application needs. See docs/building.md.
    uses org.softmax4j.natives.PlatformNatives;

    exports org.softmax4j;
    exports org.softmax4j.io;
    exports org.softmax4j.regression;
    // Only for the platform modules' providers: the service type.
    exports org.softmax4j.natives to org.softmax4j.linux.x86_64, org.softmax4j.linux.arm64;
}
