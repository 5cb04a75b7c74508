package org.sgdlab.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A big-endian binary stream that knows its source's name and its position, decompresses gzip
 * transparently (recognized by the magic bytes 0x1f 0x8b, whatever the file is called), and turns
 * every short read into a {@link DataFormatException} that says what was expected where.
 */
final class BinaryInput implements Closeable {
    private static final int GZIP_FIRST_BYTE = 0x1f;
    private static final int GZIP_SECOND_BYTE = 0x8b;
    private static final int BUFFER_BYTES = 1 << 16;

    private final String source;
    private final InputStream in;
    private final boolean compressed;
    private long position;

    private BinaryInput(String source, InputStream in, boolean compressed) {
        this.source = source;
        this.in = in;
        this.compressed = compressed;
    }

    static BinaryInput open(Path file) throws IOException {
        return of(Files.newInputStream(file), file.toString());
    }

    static BinaryInput of(InputStream raw, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        if (first == GZIP_FIRST_BYTE && second == GZIP_SECOND_BYTE) {
            try {
                return new BinaryInput(source, new GZIPInputStream(buffered, BUFFER_BYTES), true);
            } catch (ZipException | EOFException e) {
                buffered.close();
                throw new DataFormatException(
                        source + ": damaged gzip header at byte 0: " + e.getMessage(), e);
            }
        }
        return new BinaryInput(source, buffered, false);
    }

    String source() {
        return source;
    }

    /** "byte P", with a note when P counts decompressed bytes. */
    String where() {
        return where(position);
    }

    String where(long offset) {
        return "byte " + offset + (compressed ? " (decompressed)" : "");
    }

    /** A big-endian 32-bit integer. */
    int readInt(String what) throws IOException {
        byte[] bytes = new byte[4];
        readFully(bytes, 0, 4, what);
        return ((bytes[0] & 0xff) << 24)
                | ((bytes[1] & 0xff) << 16)
                | ((bytes[2] & 0xff) << 8)
                | (bytes[3] & 0xff);
    }

    /**
     * Fills {@code target[offset, offset + length)} or throws a {@link DataFormatException} that
     * names how many bytes of {@code what} were expected and how many were found.
     */
    void readFully(byte[] target, int offset, int length, String what) throws IOException {
        long start = position;
        int done = 0;
        try {
            while (done < length) {
                int count = in.read(target, offset + done, length - done);
                if (count < 0) {
                    break;
                }
                done += count;
                position += count;
            }
        } catch (EOFException e) {
            done = (int) (position - start);
        } catch (ZipException e) {
            throw new DataFormatException(
                    source + ": damaged gzip data near " + where() + ": " + e.getMessage(), e);
        }
        if (done < length) {
            throw new DataFormatException(
                    source
                            + ": truncated: expected "
                            + length
                            + " bytes of "
                            + what
                            + " at "
                            + where(start)
                            + ", found "
                            + done);
        }
    }

    /** Checks that nothing follows, so that a longer file than its header says is not cut. */
    void expectEnd(String what) throws IOException {
        int next;
        try {
            next = in.read();
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(
                    source + ": damaged gzip data near " + where() + ": " + e.getMessage(), e);
        }
        if (next >= 0) {
            throw new DataFormatException(
                    source
                            + ": unexpected data at "
                            + where()
                            + ", expected the end after "
                            + what);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
