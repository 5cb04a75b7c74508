package org.sgdlab.data;

/**
 * A data file that cannot be read as what it claims to be: a wrong magic number, a truncated body,
 * a malformed header, a cell that is not a number, or a missing file set.
 *
 * <p>The message always names the file, the place in it (a byte offset or a line and column) and
 * what was expected there, for example {@code "train-images-idx3-ubyte.gz: magic number 0x00000801
 * at byte 0, expected 0x00000803 (images)"}. It extends {@link IllegalArgumentException} because a
 * bad data file is bad input from the user, which the command line reports in one line with exit
 * code 2. Failures of the file system itself (permissions, a vanished disk) stay {@link
 * java.io.IOException}s.
 */
public class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
