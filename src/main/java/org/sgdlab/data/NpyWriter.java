package org.sgdlab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.sgdlab.tensor.Tensor;

/**
 * Writes a tensor as a NumPy {@code .npy} file of dtype {@code <f4} (little-endian float32) in C
 * (row-major) order, which {@code numpy.load} and {@link NpyReader} read back unchanged.
 *
 * <p>The header is the one NumPy writes, {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (2, 3), }}, padded with spaces and ended by a newline so that the values start at a multiple of
 * 64 bytes. Format version 1.0 is used, or 2.0 when the header does not fit in 65,535 bytes (a
 * shape of thousands of axes). Writes are atomic: a reader never sees half a file.
 */
public final class NpyWriter {
    private static final int ALIGNMENT = 64;
    private static final int VERSION_1_MAX_HEADER = 0xffff;
    private static final int CHUNK_VALUES = 1 << 14;

    private NpyWriter() {}

    /** Writes the tensor's values and shape to the file, replacing any file already there. */
    public static void write(Path file, Tensor tensor) throws IOException {
        byte[] preamble = preamble(tensor.shape());
        float[] values = tensor.data();
        AtomicFiles.write(
                file,
                out -> {
                    out.write(preamble);
                    writeLittleEndian(out, values);
                });
    }

    /** The magic bytes, version, header length and padded header for a {@code <f4} array. */
    static byte[] preamble(int[] shape) {
        StringBuilder tuple = new StringBuilder("(");
        for (int axis = 0; axis < shape.length; axis++) {
            tuple.append(axis == 0 ? "" : ", ").append(shape[axis]);
        }
        tuple.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";

        int major = 1;
        int prefix = NpyReader.MAGIC.length + 4;
        if (paddedLength(prefix, dict) > VERSION_1_MAX_HEADER) {
            major = 2;
            prefix = NpyReader.MAGIC.length + 6;
        }
        int padding = paddedLength(prefix, dict) - dict.length() - 1;
        byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);

        ByteBuffer preamble = ByteBuffer.allocate(prefix + header.length);
        preamble.order(ByteOrder.LITTLE_ENDIAN);
        preamble.put(NpyReader.MAGIC);
        preamble.put((byte) major);
        preamble.put((byte) 0);
        if (major == 1) {
            preamble.putShort((short) header.length);
        } else {
            preamble.putInt(header.length);
        }
        preamble.put(header);
        return preamble.array();
    }

    /** The header length with padding, so that prefix + header is a multiple of 64 bytes. */
    private static int paddedLength(int prefix, String dict) {
        int unpadded = prefix + dict.length() + 1;
        return (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT - prefix;
    }

    /** Writes float32 values in little-endian byte order, in chunks. */
    static void writeLittleEndian(OutputStream out, float[] values) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_VALUES * Float.BYTES);
        chunk.order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += CHUNK_VALUES) {
            int end = Math.min(values.length, start + CHUNK_VALUES);
            chunk.clear();
            chunk.asFloatBuffer().put(values, start, end - start);
            out.write(chunk.array(), 0, (end - start) * Float.BYTES);
        }
    }
}
