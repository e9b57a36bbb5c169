package org.softmax4j.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Output files that are either complete or absent, never partly written: what the command line
 * and {@code SoftmaxClassifier.save} write through.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes {@code bytes} to a temporary file in the target's folder, then moves it into place,
     * replacing any previous file.
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            // A temporary file is private (rw-------); the result should read like any new file,
            // or keep the permissions of the one it replaces.
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Fails early, before any work, if {@code file} cannot be written: its folder must exist and
     * be writable, and the file itself must not be a folder.
     */
    public static void checkWritable(Path file, String option) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + file + " (" + option + "): no such folder " + dir);
        }
        if (!Files.isWritable(dir)) throw new IOException("cannot write " + file + " (" + option + "): folder not writable");
        if (Files.isDirectory(target)) throw new IOException("cannot write " + file + " (" + option + "): it is a folder");
    }
}
