package org.sgdlab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sgdlab.tensor.Tensor;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) into float32 tensors.
 *
 * <p>The format: the magic bytes {@code \x93NUMPY}, a major and a minor version byte, the header
 * length as a little-endian unsigned integer of 2 bytes (version 1) or 4 bytes (versions 2 and 3),
 * then the header: a Python dict literal with the keys {@code 'descr'} (the dtype), {@code
 * 'fortran_order'} and {@code 'shape'}, padded with spaces and ended by a newline (ASCII, or UTF-8
 * in version 3). The values follow, {@code prod(shape)} elements without gaps.
 *
 * <p>Supported dtypes: {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1}, little-endian ({@code <}),
 * big-endian ({@code >}), native ({@code =}) or without order ({@code |}, one-byte types). Values
 * are converted to float32, so int64, uint64 and float64 values round to the nearest float32.
 * Fortran-ordered arrays are transposed into row-major order. Object, string, complex, date and
 * structured dtypes are a {@link DataFormatException}, as are a damaged header and a body shorter
 * or longer than the shape says. A file is read whole, so it must be below 2 GiB.
 */
public final class NpyReader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d+)");
    private static final int MAX_EXACT_LABEL = 1 << 24;

    /** A parsed file: the element type of the file and the values as float32, row-major. */
    record Array(ElementType type, Tensor values) {}

    private NpyReader() {}

    /** The array in the file as a float32 tensor of the same shape, row-major. */
    public static Tensor read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString()).values();
    }

    /**
     * A data set from an inputs file and a targets file, as {@code --dataset npy:X.npy,Y.npy} names
     * them.
     *
     * <p>Inputs are [n, features...]; a one-dimensional x becomes [n, 1]. A one-dimensional y of an
     * integer or boolean dtype is classification with classes = max(y) + 1, and every label must be
     * non-negative. A y of a float dtype, or with two dimensions, is regression with targets [n,
     * outputs]; a one-dimensional float y becomes [n, 1]. The data set is named after the inputs
     * file without {@code .npy}.
     *
     * @throws DataFormatException when a file is damaged, the row counts differ, a label is
     *     negative, or y has more than two dimensions
     */
    public static Dataset dataset(Path inputsFile, Path targetsFile) throws IOException {
        Array x = parse(Files.readAllBytes(inputsFile), inputsFile.toString());
        Array y = parse(Files.readAllBytes(targetsFile), targetsFile.toString());
        Tensor inputs = x.values();
        Tensor targets = y.values();
        if (inputs.rank() == 0 || targets.rank() == 0 || targets.rank() > 2) {
            throw new DataFormatException(
                    inputsFile
                            + " has shape "
                            + Arrays.toString(inputs.shape())
                            + " and "
                            + targetsFile
                            + " has shape "
                            + Arrays.toString(targets.shape())
                            + "; expected x of shape [n, features...] and y of shape [n] or"
                            + " [n, outputs]");
        }
        if (inputs.size(0) != targets.size(0)) {
            throw new DataFormatException(
                    inputsFile
                            + " has shape "
                            + Arrays.toString(inputs.shape())
                            + " but "
                            + targetsFile
                            + " has shape "
                            + Arrays.toString(targets.shape())
                            + "; expected the same number of rows");
        }

        String name = inputsFile.getFileName().toString().replaceFirst("\\.npy$", "");
        if (inputs.rank() == 1) {
            inputs = inputs.viewAs(inputs.size(0), 1);
        }
        if (targets.rank() == 1 && y.type().isInteger()) {
            return new Dataset(name, inputs, targets, classCount(targets, targetsFile));
        }
        if (targets.rank() == 1) {
            targets = targets.viewAs(targets.size(0), 1);
        }
        return new Dataset(name, inputs, targets, 0);
    }

    private static int classCount(Tensor labels, Path file) {
        float max = -1;
        float[] values = labels.data();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= MAX_EXACT_LABEL) {
                throw new DataFormatException(
                        file
                                + ": label "
                                + (long) values[i]
                                + " at index "
                                + i
                                + ", expected a class index in [0, 2^24); store regression"
                                + " targets with a float dtype");
            }
            max = Math.max(max, values[i]);
        }
        return (int) max + 1;
    }

    /** Parses a whole {@code .npy} file held in memory. */
    static Array parse(byte[] bytes, String source) {
        if (bytes.length < MAGIC.length + 2
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new DataFormatException(
                    source
                            + ": magic bytes "
                            + hex(Arrays.copyOf(bytes, Math.min(bytes.length, MAGIC.length)))
                            + " at byte 0, expected 93 4e 55 4d 50 59 (\\x93NUMPY, a NumPy .npy"
                            + " file)");
        }
        int major = bytes[6] & 0xff;
        int minor = bytes[7] & 0xff;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new DataFormatException(
                    source
                            + ": format version "
                            + major
                            + "."
                            + minor
                            + " at byte 6, expected 1.0, 2.0 or 3.0");
        }

        int lengthBytes = major == 1 ? 2 : 4;
        int headerStart = 8 + lengthBytes;
        if (bytes.length < headerStart) {
            throw truncated(source, lengthBytes, "header length", 8, bytes.length - 8);
        }
        ByteBuffer lengthField = ByteBuffer.wrap(bytes, 8, lengthBytes);
        lengthField.order(ByteOrder.LITTLE_ENDIAN);
        long headerLength =
                major == 1 ? lengthField.getShort() & 0xffff : lengthField.getInt() & 0xffffffffL;
        if (headerStart + headerLength > bytes.length) {
            throw truncated(
                    source, headerLength, "header", headerStart, bytes.length - headerStart);
        }

        String header =
                new String(
                        bytes,
                        headerStart,
                        (int) headerLength,
                        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> fields = parseHeader(header, source, headerStart);
        ElementType type = elementType(fields.get("descr"), source);
        ByteOrder order = byteOrder((String) fields.get("descr"));
        boolean fortranOrder = (Boolean) fields.get("fortran_order");
        int[] shape = shape(fields.get("shape"), source);

        int dataStart = headerStart + (int) headerLength;
        long count = 1;
        for (int extent : shape) {
            count *= extent;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(
                    source
                            + ": shape "
                            + Arrays.toString(shape)
                            + " holds more than 2^31 values, more than a tensor can hold");
        }
        long expectedBytes = count * type.bytes();
        long foundBytes = bytes.length - dataStart;
        if (foundBytes < expectedBytes) {
            throw truncated(source, expectedBytes, "data", dataStart, foundBytes);
        }
        if (foundBytes > expectedBytes) {
            throw new DataFormatException(
                    source
                            + ": "
                            + (foundBytes - expectedBytes)
                            + " unexpected bytes at byte "
                            + (dataStart + expectedBytes)
                            + ", expected the end of the file after the "
                            + count
                            + " values of shape "
                            + Arrays.toString(shape));
        }

        float[] values = new float[(int) count];
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expectedBytes);
        data.order(order);
        type.decode(data, values);
        if (fortranOrder && shape.length > 1) {
            values = fortranToRowMajor(values, shape);
        }
        return new Array(type, Tensor.wrap(values, shape));
    }

    /**
     * Reorders column-major values into row-major ones: the element at index (i_0, ..., i_k) sits
     * at i_0 + s_0 (i_1 + s_1 (i_2 + ...)) in Fortran order.
     */
    private static float[] fortranToRowMajor(float[] values, int[] shape) {
        int rank = shape.length;
        int[] strides = new int[rank];
        strides[0] = 1;
        for (int axis = 1; axis < rank; axis++) {
            strides[axis] = strides[axis - 1] * shape[axis - 1];
        }

        float[] result = new float[values.length];
        int[] index = new int[rank];
        int source = 0;
        for (int target = 0; target < result.length; target++) {
            result[target] = values[source];
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                source += strides[axis];
                if (index[axis] < shape[axis]) {
                    break;
                }
                source -= strides[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        return result;
    }

    private static Map<String, Object> parseHeader(String header, String source, int offset) {
        Object parsed = new LiteralParser(header, source, offset).parseHeader();
        if (!(parsed instanceof Map)) {
            throw badHeader(source, offset, "a dict", header);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) parsed;
        for (String key : fields.keySet()) {
            if (!List.of("descr", "fortran_order", "shape").contains(key)) {
                throw badHeader(
                        source, offset, "only the keys descr, fortran_order and shape", header);
            }
        }
        if (!(fields.get("descr") instanceof String)) {
            throw badHeader(source, offset, "a string 'descr' (the dtype)", header);
        }
        if (!(fields.get("fortran_order") instanceof Boolean)) {
            throw badHeader(source, offset, "'fortran_order': True or False", header);
        }
        if (!(fields.get("shape") instanceof List)) {
            throw badHeader(source, offset, "a tuple 'shape'", header);
        }
        return fields;
    }

    private static ElementType elementType(Object descr, String source) {
        Matcher matcher = DESCR.matcher((String) descr);
        ElementType type = null;
        if (matcher.matches()) {
            type = elementType(matcher.group(2).charAt(0), Integer.parseInt(matcher.group(3)));
        }
        if (type == null) {
            throw new DataFormatException(
                    source
                            + ": dtype '"
                            + descr
                            + "' is not supported; expected one of f2 f4 f8 i1 i2 i4 i8 u1 u2 u4"
                            + " u8 b1, with byte order <, > or |, for example '<f4'");
        }
        return type;
    }

    private static ElementType elementType(char kind, int bytes) {
        switch (kind + "" + bytes) {
            case "f2":
                return ElementType.FLOAT16;
            case "f4":
                return ElementType.FLOAT32;
            case "f8":
                return ElementType.FLOAT64;
            case "i1":
                return ElementType.INT8;
            case "i2":
                return ElementType.INT16;
            case "i4":
                return ElementType.INT32;
            case "i8":
                return ElementType.INT64;
            case "u1":
                return ElementType.UINT8;
            case "u2":
                return ElementType.UINT16;
            case "u4":
                return ElementType.UINT32;
            case "u8":
                return ElementType.UINT64;
            case "b1":
                return ElementType.BOOL;
            default:
                return null;
        }
    }

    private static ByteOrder byteOrder(String descr) {
        if (descr.startsWith(">")) {
            return ByteOrder.BIG_ENDIAN;
        }
        if (descr.startsWith("=") || !descr.startsWith("<") && !descr.startsWith("|")) {
            return ByteOrder.nativeOrder();
        }
        return ByteOrder.LITTLE_ENDIAN;
    }

    private static int[] shape(Object value, String source) {
        List<?> extents = (List<?>) value;
        int[] shape = new int[extents.size()];
        for (int axis = 0; axis < shape.length; axis++) {
            Object extent = extents.get(axis);
            if (!(extent instanceof Long)
                    || (Long) extent < 0
                    || (Long) extent > Integer.MAX_VALUE) {
                throw new DataFormatException(
                        source
                                + ": shape "
                                + extents
                                + " has extent "
                                + extent
                                + " on axis "
                                + axis
                                + ", expected a non-negative integer below 2^31");
            }
            shape[axis] = (int) (long) (Long) extent;
        }
        return shape;
    }

    private static DataFormatException truncated(
            String source, long expected, String what, long at, long found) {
        return new DataFormatException(
                source
                        + ": truncated: expected "
                        + expected
                        + " bytes of "
                        + what
                        + " at byte "
                        + at
                        + ", found "
                        + Math.max(found, 0));
    }

    private static DataFormatException badHeader(
            String source, long at, String expected, String header) {
        return new DataFormatException(
                source
                        + ": header at byte "
                        + at
                        + " is "
                        + quote(header)
                        + ", expected "
                        + expected);
    }

    private static String quote(String header) {
        String trimmed = header.strip();
        return "\"" + (trimmed.length() > 120 ? trimmed.substring(0, 120) + "..." : trimmed) + "\"";
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xff));
        }
        return text.length() == 0 ? "(none)" : text.toString();
    }

    /**
     * A parser for the Python literals that appear in a {@code .npy} header: dicts, tuples, lists,
     * strings, integers (with an optional {@code L} suffix from Python 2), True, False and None.
     * Dicts become {@link Map}s, tuples and lists {@link List}s, integers {@link Long}s, and None a
     * marker object that no header field accepts. Positions count characters, which are bytes in
     * the ASCII headers of versions 1 and 2.
     */
    private static final class LiteralParser {
        private static final Object NONE = new Object();

        private final String text;
        private final String source;
        private final int offset;
        private int position;

        LiteralParser(String text, String source, int offset) {
            this.text = text;
            this.source = source;
            this.offset = offset;
        }

        Object parseHeader() {
            Object value = parseValue();
            skipSpace();
            if (position != text.length()) {
                throw error("the end of the header after the dict");
            }
            return value;
        }

        private Object parseValue() {
            skipSpace();
            if (position >= text.length()) {
                throw error("a value");
            }
            char next = text.charAt(position);
            if (next == '{') {
                return parseDict();
            }
            if (next == '(' || next == '[') {
                return parseSequence(next == '(' ? ')' : ']');
            }
            if (next == '\'' || next == '"') {
                return parseString(next);
            }
            if (next == '-' || next == '+' || Character.isDigit(next)) {
                return parseInteger();
            }
            for (String word : List.of("True", "False", "None")) {
                if (text.startsWith(word, position)) {
                    position += word.length();
                    return word.equals("None") ? NONE : Boolean.valueOf(word.equals("True"));
                }
            }
            throw error("a value");
        }

        private Map<String, Object> parseDict() {
            Map<String, Object> map = new LinkedHashMap<>();
            position++;
            while (true) {
                skipSpace();
                if (consume('}')) {
                    return map;
                }
                int keyPosition = position;
                Object key = parseValue();
                if (!(key instanceof String)) {
                    position = keyPosition;
                    throw error("a string key");
                }
                skipSpace();
                if (!consume(':')) {
                    throw error("':'");
                }
                if (map.put((String) key, parseValue()) != null) {
                    throw new DataFormatException(
                            source
                                    + ": header key '"
                                    + key
                                    + "' at byte "
                                    + (offset + keyPosition)
                                    + " appears twice, expected each key once");
                }
                skipSpace();
                if (!consume(',') && !(position < text.length() && text.charAt(position) == '}')) {
                    throw error("',' or '}'");
                }
            }
        }

        private List<Object> parseSequence(char close) {
            List<Object> items = new ArrayList<>();
            position++;
            while (true) {
                skipSpace();
                if (consume(close)) {
                    return items;
                }
                items.add(parseValue());
                skipSpace();
                if (!consume(',')
                        && !(position < text.length() && text.charAt(position) == close)) {
                    throw error("',' or '" + close + "'");
                }
            }
        }

        private String parseString(char quote) {
            StringBuilder value = new StringBuilder();
            position++;
            while (position < text.length()) {
                char next = text.charAt(position++);
                if (next == quote) {
                    return value.toString();
                }
                if (next == '\\' && position < text.length()) {
                    next = text.charAt(position++);
                }
                value.append(next);
            }
            throw error("the closing " + quote + " of a string");
        }

        private Long parseInteger() {
            int start = position;
            if (text.charAt(position) == '-' || text.charAt(position) == '+') {
                position++;
            }
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            String digits = text.substring(start, position);
            if (position < text.length() && text.charAt(position) == 'L') {
                position++;
            }
            try {
                return Long.valueOf(digits);
            } catch (NumberFormatException e) {
                position = start;
                throw error("an integer");
            }
        }

        private boolean consume(char expected) {
            if (position < text.length() && text.charAt(position) == expected) {
                position++;
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private DataFormatException error(String expected) {
            String next = text.substring(position, Math.min(text.length(), position + 20));
            next = next.split("\\s", 2)[0];
            String found = next.isEmpty() ? "the end of the header" : "'" + next + "'";
            return new DataFormatException(
                    source
                            + ": header syntax error at byte "
                            + (offset + position)
                            + ": expected "
                            + expected
                            + ", found "
                            + found);
        }
    }
}
