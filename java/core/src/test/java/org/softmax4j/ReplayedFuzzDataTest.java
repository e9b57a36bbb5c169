package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.backend.Kernels;

/**
 * The fuzz corpus replayed on every platform: each committed input of each {@link FuzzTest}
 * ({@code src/test/resources/<package>/<Class>Inputs/<method>/}) through {@link ReplayedFuzzData},
 * so that the linux-arm64 run, where Jazzer's native library does not exist, replays it too (on
 * linux-x86_64 Jazzer's regression mode replays it as well). And the proof that the replay is
 * the same: where Jazzer's provider loads, both draw the same values from the same bytes.
 */
class ReplayedFuzzDataTest {

    /**
     * The same bytes through Jazzer's provider and ours, in random sequences of the draws we
     * implement, over ranges from one value to all ints and all finite doubles: the same values,
     * bit for bit, and the same bytes left.
     */
    @Test
    void drawsWhatJazzerDraws(@TempDir Path tmp) throws Throwable {
        JazzerProvider jazzer = JazzerProvider.load(tmp);
        Random r = new Random(20261130L);
        // Not ranges of exactly 2^31 values, such as [MIN_VALUE, -1]: there Jazzer 0.24 returns
        // values outside the range (libFuzzer's and ours stay inside); no fuzz test draws one.
        int[][] intRanges = {{0, 1}, {1, 100}, {0, 255}, {0, 256}, {-3, 70000}, {Integer.MIN_VALUE, Integer.MAX_VALUE},
                {-5, -5}, {Integer.MIN_VALUE, -2}, {Integer.MIN_VALUE, 5}, {7, 1 << 24}};
        double[][] doubleRanges = {{-4, 4}, {0, 1}, {-Double.MAX_VALUE, Double.MAX_VALUE}, {-1e308, 1e308}, {2, 2},
                {-1e-300, 0}};
        for (int input = 0; input < 3000; input++) {
            byte[] bytes = new byte[r.nextInt(80)];
            r.nextBytes(bytes);
            FuzzedDataProvider ours = ReplayedFuzzData.of(bytes);
            Object theirs = jazzer.over(bytes);
            for (int draw = 0; draw < 30; draw++) {
                String what = "input " + input + " draw " + draw;
                if (r.nextBoolean()) {
                    int[] range = intRanges[r.nextInt(intRanges.length)];
                    assertEquals(jazzer.consumeInt(theirs, range[0], range[1]), ours.consumeInt(range[0], range[1]), what);
                } else {
                    double[] range = doubleRanges[r.nextInt(doubleRanges.length)];
                    double want = jazzer.consumeRegularDouble(theirs, range[0], range[1]);
                    double got = ours.consumeRegularDouble(range[0], range[1]);
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got),
                            what + ": " + want + " vs " + got);
                }
                assertEquals(jazzer.remainingBytes(theirs), ours.remainingBytes(), what);
            }
        }
    }

    @Test
    void replaysEveryCommittedInput() throws Exception {
        int replayed = 0, targets = 0;
        for (Path inputs : inputFolders()) {
            String className = getClass().getPackageName() + "." + inputs.getFileName().toString().replaceFirst("Inputs$", "");
            Class<?> fuzzClass = Class.forName(className);
            Object instance = fuzzClass.getDeclaredConstructor().newInstance();
            for (Method m : fuzzClass.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(FuzzTest.class)) continue;
                targets++;
                List<Path> files = new ArrayList<>();
                Path folder = inputs.resolve(m.getName());
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> s = Files.list(folder)) {
                        s.filter(Files::isRegularFile).sorted().forEach(files::add);
                    }
                }
                // Jazzer's regression mode also runs each target on the empty input.
                replay(instance, m, "(empty input)", new byte[0]);
                for (Path f : files) replay(instance, m, f.toString(), Files.readAllBytes(f));
                replayed += files.size();
            }
        }
        assertTrue(targets >= 30 && replayed >= targets, targets + " targets, " + replayed + " inputs");
    }

    private static void replay(Object instance, Method m, String input, byte[] bytes) throws Exception {
        try {
            m.invoke(instance, ReplayedFuzzData.of(bytes));
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName() + " on " + input + ": " + e.getCause(), e.getCause());
        }
    }

    /** The {@code <Class>Inputs} folders beside the test classes. */
    private List<Path> inputFolders() throws URISyntaxException, java.io.IOException {
        Path here = Path.of(getClass().getResource(getClass().getSimpleName() + ".class").toURI()).getParent();
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> s = Files.list(here)) {
            s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().endsWith("FuzzTestInputs"))
                    .sorted().forEach(folders::add);
        }
        assertTrue(!folders.isEmpty(), "no fuzz inputs found beside " + here);
        return folders;
    }

    /**
     * Jazzer's own provider, from a class loader of its own holding Jazzer's jars and the
     * bootstrap jar that its agent would otherwise add when a fuzz test starts (so that the
     * result does not depend on which tests ran before). The test is skipped where Jazzer's
     * native library does not exist (linux-arm64).
     */
    private record JazzerProvider(Method withJavaData, Method consumeInt, Method consumeRegularDouble,
            Method remainingBytes) {

        static JazzerProvider load(Path tmp) throws Throwable {
            Path bootstrap = tmp.resolve("jazzer_bootstrap.jar");
            try (InputStream in = FuzzedDataProviderImpl.class
                    .getResourceAsStream("/com/code_intelligence/jazzer/runtime/jazzer_bootstrap.jar")) {
                assertTrue(in != null, "Jazzer's jar has no bootstrap jar");
                Files.copy(in, bootstrap);
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {
                    FuzzedDataProviderImpl.class.getProtectionDomain().getCodeSource().getLocation(),
                    FuzzedDataProvider.class.getProtectionDomain().getCodeSource().getLocation(),
                    bootstrap.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> impl = Class.forName(FuzzedDataProviderImpl.class.getName(), false, loader);
            JazzerProvider p = new JazzerProvider(impl.getMethod("withJavaData", byte[].class),
                    impl.getMethod("consumeInt", int.class, int.class),
                    impl.getMethod("consumeRegularDouble", double.class, double.class),
                    impl.getMethod("remainingBytes"));
            try {
                p.consumeInt(p.over(new byte[] {1, 2}), 0, 10);
            } catch (LinkageError e) {
                assumeTrue(false, "Jazzer's native provider does not load here: " + Kernels.describe(e));
            }
            return p;
        }

        Object over(byte[] bytes) throws Throwable {
            return call(withJavaData, null, (Object) bytes);
        }

        int consumeInt(Object p, int min, int max) throws Throwable {
            return (int) call(consumeInt, p, min, max);
        }

        double consumeRegularDouble(Object p, double min, double max) throws Throwable {
            return (double) call(consumeRegularDouble, p, min, max);
        }

        int remainingBytes(Object p) throws Throwable {
            return (int) call(remainingBytes, p);
        }

        private static Object call(Method m, Object target, Object... args) throws Throwable {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
