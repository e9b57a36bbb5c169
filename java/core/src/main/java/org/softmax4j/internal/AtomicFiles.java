package org.softmax4j.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Output files that are either complete or absent, never partly written: what the command line,
 * {@code SoftmaxClassifier.save}, {@code Dataset.writeCsv} and {@link Npy#write} write through.
 *
 * <p>A new file gets the permissions {@code rw-r--r--}, a replaced one keeps its own. Every
 * failure is an {@link IOException} whose message is one sentence for a person, naming the file
 * and the reason: {@code cannot write /data/m.npz: the folder /data does not exist}.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** What a file is made of, written to a stream (buffered; closed by {@link #write(Path, Content)}). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code bytes} to {@code file}, replacing any previous file, whole or not at all.
     *
     * @throws IOException "cannot write FILE: REASON"
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(file, out -> out.write(bytes));
    }

    /**
     * Writes what {@code content} writes to {@code file}, replacing any previous file, whole or
     * not at all: the content goes to a temporary file in the same folder, which is moved into
     * place only once it is complete. If anything fails, nothing is left behind and the previous
     * file is untouched.
     *
     * @throws IOException "cannot write FILE: REASON" (also for an IOException of {@code content})
     */
    public static void write(Path file, Content content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path target = checkWritable(file);
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            // A temporary file is private (rw-------); the result should read like any new file,
            // or keep the permissions of the one it replaces.
            if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Some network and FUSE file systems; a rename in one folder is the best they offer.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Fails, before any work is done, if {@code file} cannot be written: its folder must exist
     * and accept new files (tried by creating and deleting a temporary file there), and the file
     * itself must not be a folder. A program that writes its result last calls this first.
     *
     * @return the file as an absolute path
     * @throws IOException "cannot write FILE: REASON", e.g. "cannot write /data/m.npz: the folder
     *         /data does not exist"
     */
    public static Path checkWritable(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String what = "cannot write " + file;
        if (dir == null) throw new IOException(what + ": it is not a file name");
        requireFolder(dir, what);
        if (Files.isDirectory(target)) throw new IOException(what + ": it is a folder");
        probe(dir, what);
        return target;
    }

    /**
     * Fails, before any work is done, if files cannot be written into the folder {@code dir}: it
     * must be a folder that accepts new files, or not exist yet in a folder that does (then
     * {@link #createFolder} creates it).
     *
     * @throws IOException "cannot write to DIR: REASON"
     */
    public static void checkFolder(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path abs = dir.toAbsolutePath();
        String what = "cannot write to " + dir;
        if (Files.isDirectory(abs)) {
            probe(abs, what);
        } else if (Files.exists(abs)) {
            throw new IOException(what + ": it is a file, not a folder");
        } else {
            if (abs.getParent() == null) throw new IOException(what + ": it is not a folder name");
            requireFolder(abs.getParent(), what);
            probe(abs.getParent(), what);
        }
    }

    /** {@link #checkFolder}, then creates {@code dir} if it does not exist (never its parents). */
    public static void createFolder(Path dir) throws IOException {
        checkFolder(dir);
        try {
            if (!Files.isDirectory(dir)) Files.createDirectory(dir);
        } catch (IOException e) {
            throw new IOException("cannot write to " + dir + ": " + reason(e), e);
        }
    }

    private static void requireFolder(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(what + ": " + (Files.exists(dir) ? dir + " is a file, not a folder"
                    : "the folder " + dir + " does not exist"));
        }
    }

    /** Whether {@code dir} takes a new file: permission bits do not tell (root, read-only mounts, /proc). */
    private static void probe(Path dir, String what) throws IOException {
        try {
            Files.delete(Files.createTempFile(dir, ".softmax4j.", ".probe"));
        } catch (IOException e) {
            throw new IOException(what + ": " + reason(e), e);
        }
    }

    private static IOException cannotWrite(Path file, IOException e) {
        return new IOException("cannot write " + file + ": " + reason(e), e);
    }

    /** Why the file system said no, in words: the exceptions' own messages are often only a path. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied in " + Path.of(a.getFile()).toAbsolutePath().getParent();
        }
        if (e instanceof NoSuchFileException n && n.getFile() != null) {
            Path dir = Path.of(n.getFile()).toAbsolutePath().getParent();
            return "the folder " + dir + " does not exist";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String where = f.getFile() == null ? "" : " (" + Path.of(f.getFile()).toAbsolutePath().getParent() + ")";
            return f.getReason().strip().toLowerCase(java.util.Locale.ROOT) + where;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }
}
