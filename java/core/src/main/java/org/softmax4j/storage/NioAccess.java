package org.softmax4j.storage;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

import org.softmax4j.ElementType;

/**
 * Element access through a typed NIO view, for the adapters whose memory the Java kernel reads
 * that way (direct buffers, and JavaCPP pointers through {@code asBuffer()}). A byte view holds
 * BOOL elements, a short view the bit patterns of a half type.
 */
final class NioAccess {
    private NioAccess() {}

    static double get(ElementType type, Buffer b, int i) {
        if (b instanceof FloatBuffer f) return f.get(i);
        if (b instanceof ShortBuffer h) return type.toFloat(h.get(i));
        if (b instanceof DoubleBuffer d) return d.get(i);
        if (b instanceof IntBuffer n) return n.get(i);
        return ((ByteBuffer) b).get(i) != 0 ? 1 : 0;
    }

    static void set(ElementType type, Buffer b, int i, double v) {
        if (b instanceof FloatBuffer f) {
            f.put(i, (float) v);
        } else if (b instanceof ShortBuffer h) {
            h.put(i, type.toBits((float) v));
        } else if (b instanceof DoubleBuffer d) {
            d.put(i, v);
        } else if (b instanceof IntBuffer n) {
            n.put(i, (int) v);
        } else {
            ((ByteBuffer) b).put(i, (byte) (v != 0 ? 1 : 0));
        }
    }
}
