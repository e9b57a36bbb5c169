package org.softmax4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.io.Npy;

/**
 * Output paths {@code apply} cannot or must not write: each gives one line on stderr and a
 * non-zero exit, leaves no file (partial or temporary) behind, and leaves what was there as it
 * was. {@link CliTest} covers bad input files and a missing output folder.
 */
class CliOutputTest {
    @TempDir
    Path dir;

    Path in;
    byte[] inBytes;

    @BeforeEach
    void input() throws IOException {
        in = dir.resolve("x.npy");
        Npy.write(in, Npy.Array.of(new float[] {1, 2, 3, 4}, 2, 2));
        inBytes = Files.readAllBytes(in);
    }

    private CliTest.Result apply(Path out) {
        return CliTest.run("apply", "--op", "softmax", "--in", in.toString(), "--out", out.toString());
    }

    /** The files under the temporary folder, recursively: nothing may be added. */
    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    private void failsCleanly(Path out, String mention) throws IOException {
        List<Path> before = files();
        CliTest.fails(apply(out), mention);
        assertEquals(before, files(), "no file left behind");
        assertArrayEquals(inBytes, Files.readAllBytes(in), "input unchanged");
    }

    @Test
    void outputThatIsAnEmptyDirectory() throws IOException {
        Path out = Files.createDirectory(dir.resolve("empty"));
        failsCleanly(out, "cannot write");
        assertTrue(Files.isDirectory(out));
    }

    @Test
    void outputThatIsADirectoryWithFiles() throws IOException {
        Path out = Files.createDirectory(dir.resolve("full"));
        Files.writeString(out.resolve("keep.txt"), "keep");
        failsCleanly(out, "cannot write");
        assertEquals("keep", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void outputBelowARegularFile() throws IOException {
        failsCleanly(in.resolve("y.npy"), "cannot write");
    }

    @Test
    void outputEqualToInput() throws IOException {
        failsCleanly(in, "is the input file");
        // Also when spelled differently.
        failsCleanly(dir.resolve(".").resolve("x.npy"), "is the input file");
        Path link = Files.createSymbolicLink(dir.resolve("link.npy"), in);
        failsCleanly(link, "is the input file");
    }

    /** A folder where nothing can be created, even by root: /proc/self. */
    @Test
    void outputInAFolderNoOneCanWrite() throws IOException {
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "needs Linux /proc");
        CliTest.fails(apply(proc.resolve("y.npy")), "cannot write");
        assertArrayEquals(inBytes, Files.readAllBytes(in));
        assertEquals(List.of(dir, in), files());
    }

    /**
     * A read-only folder. Root ignores permission bits, so where creating a file in it still
     * succeeds (as when the tests run as root) this case is skipped; the /proc case above fails
     * for everyone.
     */
    @Test
    void outputInAReadOnlyFolder() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        try {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "no POSIX permissions here");
        }
        try {
            boolean enforced;
            try {
                Files.delete(Files.createFile(ro.resolve("probe")));
                enforced = false;
            } catch (IOException e) {
                enforced = true;
            }
            assumeFalse(!enforced, "permissions are not enforced for this user (root)");
            failsCleanly(ro.resolve("y.npy"), "cannot write");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
