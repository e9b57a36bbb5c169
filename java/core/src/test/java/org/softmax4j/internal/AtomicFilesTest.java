package org.softmax4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.regression.Dataset;

/**
 * Files written whole or not at all, with the permissions of an ordinary new file, and every
 * refusal worded for a person: "cannot write FILE: REASON" naming what is wrong, not a temporary
 * file's name.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private boolean posix() throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView("posix");
    }

    @Test
    void newFilesReadLikeAnyNewFileAndReplacedOnesKeepTheirMode() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals("rw-r--r--", mode(f), "not the rw------- of a temporary file");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.write(f, out -> out.write("streamed".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("streamed", Files.readString(f));
        assertEquals("rw-rw----", mode(f));
        assertEquals(List.of(dir, f), files(), "no temporary or probe files left");
    }

    /** The CSV files of `dataset` were written around this class, with mode 0600 (issue 12). */
    @Test
    void datasetCsvGoesThroughTheSamePath() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path csv = dir.resolve("d.csv");
        Dataset.of(2, 2, new double[] {1, 2.5, 3, 4}, new int[] {0, 1}).writeCsv(csv);
        assertEquals("1,2.5,0\n3,4,1\n", Files.readString(csv));
        assertEquals("rw-r--r--", mode(csv));
        assertEquals(List.of(dir, csv), files());
    }

    @Test
    void contentThatFailsLeavesThePreviousFileAndNothingElse() throws IOException {
        Path f = Files.writeString(dir.resolve("keep.txt"), "previous");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("the encoder broke");
        }));
        assertEquals("cannot write " + f + ": the encoder broke", e.getMessage());
        assertEquals("previous", Files.readString(f));
        assertEquals(List.of(dir, f), files());
    }

    @Test
    void refusalsNameTheFileAndTheReason() throws IOException {
        Path missing = dir.resolve("no/such/m.npz");
        assertMessage("cannot write " + missing + ": the folder " + missing.getParent() + " does not exist",
                () -> AtomicFiles.write(missing, new byte[1]));
        assertMessage("cannot write " + missing + ": the folder " + missing.getParent() + " does not exist",
                () -> AtomicFiles.checkWritable(missing));
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path below = file.resolve("m.npz");
        assertMessage("cannot write " + below + ": " + file + " is a file, not a folder", () -> AtomicFiles.checkWritable(below));
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertMessage("cannot write " + folder + ": it is a folder", () -> AtomicFiles.write(folder, new byte[1]));
        // Relative paths are named as given, the folder as the absolute path it stands for.
        Path relative = Path.of("no-such-folder-softmax4j", "m.npz");
        assertMessage("cannot write " + relative + ": the folder " + relative.toAbsolutePath().getParent() + " does not exist",
                () -> AtomicFiles.checkWritable(relative));
        assertEquals(List.of(dir, folder, file), files(), "nothing created by the refusals");
    }

    /** A folder where no one can create a file, not even root: /proc/self. */
    @Test
    void aFolderThatTakesNoFilesIsFoundBeforeWriting() {
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "Linux /proc");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.checkWritable(proc.resolve("m.npz")));
        assertTrue(e.getMessage().startsWith("cannot write /proc/self/m.npz: "), e.getMessage());
        assertFalse(e.getMessage().contains(".probe"), "the reason, not the probe file's name: " + e.getMessage());
    }

    @Test
    void foldersMayBeCreatedOneLevelDeep() throws IOException {
        Path fresh = dir.resolve("fresh");
        AtomicFiles.createFolder(fresh);
        assertTrue(Files.isDirectory(fresh));
        AtomicFiles.createFolder(fresh); // exists: fine
        Path deep = dir.resolve("a/b");
        assertMessage("cannot write to " + deep + ": the folder " + deep.getParent() + " does not exist",
                () -> AtomicFiles.createFolder(deep));
        assertFalse(Files.exists(dir.resolve("a")), "no parent folders made");
        Path file = Files.writeString(dir.resolve("f"), "");
        assertMessage("cannot write to " + file + ": it is a file, not a folder", () -> AtomicFiles.checkFolder(file));
        assertEquals(List.of(dir, file, fresh), files());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IOException e = assertThrows(IOException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
