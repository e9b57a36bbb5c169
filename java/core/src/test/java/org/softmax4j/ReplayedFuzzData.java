package org.softmax4j;

import java.lang.reflect.Proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * A fuzzer input replayed without Jazzer's native library, which exists for linux-x86_64 and
 * macOS but not for linux-arm64: a {@link FuzzedDataProvider} over the input's bytes with the
 * semantics of libFuzzer's {@code FuzzedDataProvider}, which Jazzer's follows (integers are taken
 * from the end of the data, big end first; a value in a range is the integer modulo the range's
 * size; a probability is a 64-bit integer over 2^64 − 1; with the data used up every draw is the
 * low end). {@link ReplayedFuzzDataTest} holds it to Jazzer's own provider where that loads.
 *
 * <p>Only the draws the fuzz tests make are implemented, {@code consumeInt(int, int)} and
 * {@code consumeRegularDouble(double, double)}; any other throws
 * {@link UnsupportedOperationException} naming itself, so a fuzz test that starts using another
 * fails its replay here instead of replaying something else.
 */
final class ReplayedFuzzData {
    private final byte[] data;
    private int remaining;

    private ReplayedFuzzData(byte[] data) {
        this.data = data;
        this.remaining = data.length;
    }

    /** A provider over {@code data}. */
    static FuzzedDataProvider of(byte[] data) {
        ReplayedFuzzData d = new ReplayedFuzzData(data.clone());
        return (FuzzedDataProvider) Proxy.newProxyInstance(FuzzedDataProvider.class.getClassLoader(),
                new Class<?>[] {FuzzedDataProvider.class}, (proxy, method, args) -> {
                    Class<?>[] p = method.getParameterTypes();
                    switch (method.getName()) {
                        case "consumeInt":
                            if (p.length == 2) return d.consumeInt((int) args[0], (int) args[1]);
                            break;
                        case "consumeRegularDouble":
                            if (p.length == 2) return d.consumeRegularDouble((double) args[0], (double) args[1]);
                            break;
                        case "remainingBytes":
                            return d.remaining;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "ReplayedFuzzData[" + d.data.length + " bytes, " + d.remaining + " left]";
                        default:
                            break;
                    }
                    throw new UnsupportedOperationException("ReplayedFuzzData does not implement "
                            + method + "; add it (with libFuzzer's semantics) to replay this fuzz test");
                });
    }

    /**
     * Bytes from the end of the data, the last one most significant, while fewer than
     * {@code bits} bits are taken and {@code range} has bits above them, and data remains.
     */
    private long consumeBits(int bits, long range) {
        long result = 0;
        for (int offset = 0; offset < bits && (range >>> offset) != 0 && remaining != 0; offset += 8) {
            result = (result << 8) | (data[--remaining] & 0xFF);
        }
        return result;
    }

    int consumeInt(int min, int max) {
        if (min > max) throw new IllegalArgumentException("min > max: " + min + " > " + max);
        long range = (long) max - min;  // below 2^32, so range + 1 never wraps
        long result = consumeBits(32, range) % (range + 1);
        return (int) (min + result);
    }

    double consumeRegularDouble(double min, double max) {
        if (min > max) throw new IllegalArgumentException("min > max: " + min + " > " + max);
        double range;
        double result = min;
        if (max > 0 && min < 0 && max > min + Double.MAX_VALUE) {
            // The range's size overflows: half of it, chosen by one byte's low bit, then the rest.
            range = max / 2.0 - min / 2.0;
            if ((consumeBits(8, 0xFF) & 1) != 0) result += range;
        } else {
            range = max - min;
        }
        return result + range * consumeProbability();
    }

    private double consumeProbability() {
        long bits = consumeBits(64, -1L);
        // As an unsigned 64-bit integer converted to double, rounded once.
        double unsigned = bits >= 0 ? bits : ((double) ((bits >>> 1) | (bits & 1))) * 2.0;
        return unsigned / 0x1.0p64;
    }
}
