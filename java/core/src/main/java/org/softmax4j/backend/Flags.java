package org.softmax4j.backend;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.BytePointer;

/** Read access to a mask for the Java backend, whatever holds it: true keeps an entry. */
interface Flags {
    boolean get(long index);

    static Flags ofNullable(boolean[] keep) {
        return keep == null ? null : i -> keep[(int) i];
    }

    /** A byte mask from the pointer's position; any non-zero byte keeps its entry. */
    static Flags ofNullable(BytePointer keep) {
        if (keep == null) return null;
        // JavaCPP gives a byte pointer's buffer from address 0 with its position set (the float
        // and double views start at the position), so index from the buffer's position.
        ByteBuffer b = keep.asBuffer();
        int base = b.position();
        return i -> b.get(base + (int) i) != 0;
    }
}
