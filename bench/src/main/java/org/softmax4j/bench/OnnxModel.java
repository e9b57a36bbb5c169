package org.softmax4j.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A one-node ONNX model, {@code y = Softmax(x, axis=-1)} at opset 13, encoded here as protobuf
 * bytes so that the benchmark needs no model file and no ONNX tooling. Only the fields ONNX
 * Runtime needs are written; field numbers are those of {@code onnx/onnx.proto} (IR version 8).
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
