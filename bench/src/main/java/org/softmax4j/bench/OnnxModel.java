package org.softmax4j.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Small ONNX models at opset 13, encoded here as protobuf bytes so that the benchmarks need no
 * model file and no ONNX tooling: {@code y = Softmax(x, axis=-1)}, and the softmax-regression head
 * {@code y = Softmax(Gemm(x, W, b, transB=1))} (or the Gemm alone). Only the fields ONNX Runtime
 * needs are written; field numbers are those of {@code onnx/onnx.proto} (IR version 8).
 */
public final class OnnxModel {

    /** ONNX {@code TensorProto.DataType} codes. */
    public static final int FLOAT = 1, DOUBLE = 11;

    private static final long IR_VERSION = 8;
    private static final long OPSET = 13;
    private static final int ATTRIBUTE_INT = 2;

    private OnnxModel() {}

    /** A model with input {@code x} and output {@code y}, both {@code rows × n} of {@code elemType}. */
    public static byte[] softmax(long rows, long n, int elemType) {
        Proto axis = new Proto().string(1, "axis").int64(3, -1).int64(20, ATTRIBUTE_INT);
        Proto node = new Proto().string(1, "x").string(2, "y").string(3, "softmax").string(4, "Softmax")
                .message(5, axis);
        Proto graph = new Proto().message(1, node).string(2, "softmax4j-bench")
                .message(11, tensor("x", elemType, rows, n))
                .message(12, tensor("y", elemType, rows, n));
        Proto opset = new Proto().string(1, "").int64(2, OPSET);
        return new Proto().int64(1, IR_VERSION).string(2, "softmax4j-bench").message(7, graph)
                .message(8, opset).bytes();
    }

    /**
     * The head over float32 inputs x ({@code rows × d}): {@code y = Softmax(x Wᵀ + b)}, or with
     * {@code softmax} false the scores {@code y = x Wᵀ + b} alone. W ({@code k × d}, row-major)
     * and b ({@code k}) are stored in the model as initializers.
     */
    public static byte[] linear(long rows, int d, int k, float[] w, float[] b, boolean softmax) {
        Proto transB = new Proto().string(1, "transB").int64(3, 1).int64(20, ATTRIBUTE_INT);
        Proto gemm = new Proto().string(1, "x").string(1, "W").string(1, "b").string(2, softmax ? "z" : "y")
                .string(3, "gemm").string(4, "Gemm").message(5, transB);
        Proto graph = new Proto().message(1, gemm);
        if (softmax) {
            Proto axis = new Proto().string(1, "axis").int64(3, -1).int64(20, ATTRIBUTE_INT);
            graph.message(1, new Proto().string(1, "z").string(2, "y").string(3, "softmax").string(4, "Softmax")
                    .message(5, axis));
        }
        graph.string(2, "softmax4j-bench-head")
                .message(5, initializer("W", w, k, d))
                .message(5, initializer("b", b, k))
                .message(11, tensor("x", FLOAT, rows, d))
                .message(12, tensor("y", FLOAT, rows, k));
        Proto opset = new Proto().string(1, "").int64(2, OPSET);
        return new Proto().int64(1, IR_VERSION).string(2, "softmax4j-bench").message(7, graph)
                .message(8, opset).bytes();
    }

    /** TensorProto{dims..., data_type FLOAT, name, raw_data little-endian}. */
    private static Proto initializer(String name, float[] values, long... dims) {
        Proto t = new Proto();
        for (long dim : dims) t.int64(1, dim);
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return t.int64(2, FLOAT).string(8, name).raw(9, raw.array());
    }

    /** ValueInfoProto{name, TypeProto{tensor_type{elem_type, shape{dim...}}}}. */
    private static Proto tensor(String name, int elemType, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) shape.message(1, new Proto().int64(1, d));
        Proto tensorType = new Proto().int64(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** The protobuf wire format, as much of it as a model needs: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto int64(int field, long value) {
            varint((long) field << 3);          // wire type 0
            varint(value);
            return this;
        }

        Proto string(int field, String value) {
            return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return lengthDelimited(field, value.bytes());
        }

        Proto raw(int field, byte[] value) {
            return lengthDelimited(field, value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Proto lengthDelimited(int field, byte[] value) {
            varint((long) field << 3 | 2);       // wire type 2
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        /** Base-128, least significant group first; negative numbers take ten bytes. */
        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
