package org.softmax4j.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one rule for every file a command writes, applied before the command reads its inputs or
 * starts working, so that a mistyped output path costs nothing: the folder must exist and accept
 * files, the file must not be a folder, and it must not be one of the command's inputs (writing
 * the result over its own input would destroy the input). The files are later written whole or
 * not at all, through {@link AtomicFiles}.
 *
 * <p>Shared by the two command lines, {@code bin/softmax4j} (module {@code java/cli}) and
 * {@code bin/softmax4j-spark} (module {@code spark}), so that both refuse the same outputs in the
 * same words; not part of the API (the package is not exported).
 */
public final class Outputs {
    private Outputs() {}

    /**
     * @param option the option that names {@code out}, for the message
     * @param inputs the files the command reads (null for an input option not given)
     * @throws IOException "cannot write OUT: REASON", in words for a person
     * @throws IllegalArgumentException if {@code out} is one of the inputs
     */
    public static void check(String option, Path out, Path... inputs) throws IOException {
        for (Path in : inputs) {
            if (in != null && Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
                throw new IllegalArgumentException(option + " " + out + " is the input file " + in
                        + "; write the result elsewhere");
            }
        }
        AtomicFiles.checkWritable(out);
    }
}
