package org.sgdlab.data;

import java.nio.ByteBuffer;

/**
 * The numeric element types that the {@code .npy} and safetensors readers convert to float32.
 * Integers wider than 24 bits and float64 values round to the nearest float32; booleans become 0 or
 * 1.
 */
enum ElementType {
    BOOL(1, true),
    INT8(1, true),
    UINT8(1, true),
    INT16(2, true),
    UINT16(2, true),
    INT32(4, true),
    UINT32(4, true),
    INT64(8, true),
    UINT64(8, true),
    FLOAT16(2, false),
    BFLOAT16(2, false),
    FLOAT32(4, false),
    FLOAT64(8, false);

    private final int bytes;
    private final boolean integer;

    ElementType(int bytes, boolean integer) {
        this.bytes = bytes;
        this.integer = integer;
    }

    /** The bytes of one element. */
    int bytes() {
        return bytes;
    }

    /** Whether the values are integers (booleans included). */
    boolean isInteger() {
        return integer;
    }

    /** Reads {@code out.length} elements from the buffer's position in the buffer's byte order. */
    void decode(ByteBuffer in, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = decodeOne(in);
        }
    }

    private float decodeOne(ByteBuffer in) {
        switch (this) {
            case BOOL:
                return in.get() != 0 ? 1f : 0f;
            case INT8:
                return in.get();
            case UINT8:
                return in.get() & 0xff;
            case INT16:
                return in.getShort();
            case UINT16:
                return in.getShort() & 0xffff;
            case INT32:
                return in.getInt();
            case UINT32:
                return in.getInt() & 0xffffffffL;
            case INT64:
                return in.getLong();
            case UINT64:
                return unsignedToFloat(in.getLong());
            case FLOAT16:
                return halfToFloat(in.getShort());
            case BFLOAT16:
                return Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
            case FLOAT32:
                return in.getFloat();
            case FLOAT64:
                return (float) in.getDouble();
            default:
                throw new AssertionError(this);
        }
    }

    private static float unsignedToFloat(long value) {
        return value >= 0 ? value : ((float) (value >>> 1)) * 2f;
    }

    /**
     * IEEE 754 binary16 to binary32: 1 sign bit, 5 exponent bits with bias 15, 10 fraction bits;
     * exponent 0 holds zeros and subnormals (fraction * 2^-24), exponent 31 infinities and NaNs.
     */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
        }
        if (exponent == 0) {
            float magnitude = fraction * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (fraction << 13));
    }
}
