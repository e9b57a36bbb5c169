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
    // The natives of the platform this jar carries natives for: without these requires, nothing
    // puts the preset's platform jars into the module graph, and their libraries are not found.
    // When natives move to one jar per platform, these lines move to that jar's module.
    requires org.bytedeco.javacpp.linux.x86_64;
    requires org.bytedeco.openblas.linux.x86_64;

    exports org.softmax4j;
    exports org.softmax4j.io;
    exports org.softmax4j.regression;
}
