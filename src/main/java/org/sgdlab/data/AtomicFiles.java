package org.sgdlab.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one: the bytes go to a
 * hidden temporary file in the same directory, are forced to disk, and the temporary file is then
 * moved over the target. On failure the temporary file is deleted.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;

    /** The body of a write. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes text as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Writes the body's bytes to the target, whole or not at all. */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary =
                directory.resolve(
                        "."
                                + absolute.getFileName()
                                + "."
                                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                                + ".tmp");

        boolean moved = false;
        try {
            try (FileChannel channel =
                            FileChannel.open(
                                    temporary,
                                    StandardOpenOption.CREATE_NEW,
                                    StandardOpenOption.WRITE);
                    OutputStream out =
                            new BufferedOutputStream(
                                    Channels.newOutputStream(channel), BUFFER_BYTES)) {
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temporary, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
