package org.sgdlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builders of the exact bytes of test files. */
final class TestBytes {
    private TestBytes() {}

    /** An IDX file: big-endian magic, extents, then the values. */
    static byte[] idx(int magic, int[] extents, byte[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * extents.length + values.length);
        buffer.putInt(magic);
        for (int extent : extents) {
            buffer.putInt(extent);
        }
        buffer.put(values);
        return buffer.array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The arrays one after the other. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Bytes written as unsigned values, e.g. {@code bytes(0x93, 'N')}. */
    static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    static byte[] littleEndianLong(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static byte[] floats(ByteOrder order, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(order);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    static byte[] doubles(ByteOrder order, double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(order);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }

    static byte[] ints(ByteOrder order, int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(order);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    static byte[] longs(ByteOrder order, long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(order);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    static byte[] shorts(ByteOrder order, int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(order);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }
}
