package org.sgdlab.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.sgdlab.tensor.Tensor;

/**
 * Reads and writes the safetensors format (Hugging Face), used for checkpoints.
 *
 * <p>The layout, following the specification:
 *
 * <ol>
 *   <li>8 bytes: N, the header length, a little-endian unsigned 64-bit integer;
 *   <li>N bytes: the header, a UTF-8 JSON object. The optional key {@code "__metadata__"} maps to
 *       an object of string values; every other key names a tensor and maps to {@code {"dtype":
 *       "F32", "shape": [2, 3], "data_offsets": [begin, end]}}. Writers pad the header with spaces
 *       (0x20) to a multiple of 8 bytes;
 *   <li>the byte buffer: each tensor's values, little-endian and row-major, at [begin, end)
 *       relative to the start of the buffer. The tensors cover the buffer exactly, without gaps or
 *       overlaps, and the last one ends at the end of the file.
 * </ol>
 *
 * <p>Writing stores every tensor as {@code F32}, in the order of their names (compared as UTF-8
 * bytes, as the reference implementation does for tensors of one dtype), with compact JSON: the
 * metadata first (keys sorted; omitted when empty), then the tensors with their fields in the order
 * dtype, shape, data_offsets. The write is atomic: the bytes go to a temporary file in the same
 * directory, which then replaces the target, so no half-written file is ever left.
 *
 * <p>Reading accepts F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL, converted to float32
 * tensors (F64 and I64 values round to the nearest float32). It rejects, with a {@link
 * DataFormatException} naming the file and the reason: a file shorter than 8 bytes, a header length
 * beyond the file or above 100,000,000 bytes (the reference limit), a header that is not UTF-8 or
 * not a JSON object, duplicate keys, a malformed tensor entry, an unknown dtype, offsets that
 * overlap, leave a gap, disagree with the shape, or reach beyond the buffer, and bytes after the
 * last tensor.
 */
public final class Safetensors {
    /** The reserved header key of the free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int LENGTH_BYTES = 8;
    private static final int HEADER_ALIGNMENT = 8;
    private static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final Map<String, ElementType> DTYPES = dtypes();
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The tensors of a file as a {@link LinkedHashMap} in the order of their data, and its metadata
     * in header order.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** One tensor's header entry. */
    private record Entry(String name, ElementType type, int[] shape, long begin, long end) {}

    /** A validated header: where the buffer starts, the metadata, and the entries by offset. */
    private record Header(long bufferStart, Map<String, String> metadata, List<Entry> entries) {}

    private Safetensors() {}

    /** Writes the tensors as F32 without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes the tensors as F32 with the string metadata, atomically.
     *
     * @throws IllegalArgumentException when a name is empty or {@code "__metadata__"}
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(metadata, "metadata");
        List<String> names = new ArrayList<>(tensors.keySet());
        for (String name : names) {
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException(
                        "tensor name must be a non-empty string other than "
                                + METADATA_KEY
                                + ", got "
                                + (name == null ? "null" : "'" + name + "'"));
            }
            Objects.requireNonNull(tensors.get(name), "tensor " + name);
        }
        names.sort(Comparator.comparing(Safetensors::utf8, Arrays::compareUnsigned));
        byte[] header = header(names, tensors, metadata);

        AtomicFiles.write(
                file,
                out -> {
                    ByteBuffer length = ByteBuffer.allocate(LENGTH_BYTES);
                    length.order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                    out.write(length.array());
                    out.write(header);
                    for (String name : names) {
                        NpyWriter.writeLittleEndian(out, tensors.get(name).data());
                    }
                });
    }

    /** The compact JSON header padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(
            List<String> names, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode fields = root.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(fields::put);
        }
        long offset = 0;
        for (String name : names) {
            Tensor tensor = tensors.get(name);
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int extent : tensor.shape()) {
                shape.add(extent);
            }
            long end = offset + (long) tensor.numel() * Float.BYTES;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }

        byte[] json = JSON.writeValueAsBytes(root);
        int padding = (HEADER_ALIGNMENT - json.length % HEADER_ALIGNMENT) % HEADER_ALIGNMENT;
        byte[] padded = Arrays.copyOf(json, json.length + padding);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /**
     * The tensors of the file as float32, in a {@link LinkedHashMap} ordered by their position in
     * the file (for files from the reference writer, by dtype and then by name).
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return readContents(file).tensors();
    }

    /** The string metadata of the file; empty when it has none. The header is validated whole. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(channel, file.toString()).metadata();
        }
    }

    /** The tensors, in file order, and the metadata of the file. */
    public static Contents readContents(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(channel, source);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry entry : header.entries()) {
                long bytes = entry.end() - entry.begin();
                ByteBuffer data = ByteBuffer.allocate((int) bytes);
                readFully(channel, data, header.bufferStart() + entry.begin(), source);
                data.flip();
                data.order(ByteOrder.LITTLE_ENDIAN);
                float[] values = new float[Tensor.numel(entry.shape())];
                entry.type().decode(data, values);
                tensors.put(entry.name(), Tensor.wrap(values, entry.shape()));
            }
            return new Contents(tensors, header.metadata());
        }
    }

    private static Header readHeader(FileChannel channel, String source) throws IOException {
        long size = channel.size();
        if (size < LENGTH_BYTES) {
            throw new DataFormatException(
                    source
                            + ": "
                            + size
                            + " bytes, expected at least the 8-byte header length of a"
                            + " safetensors file");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(LENGTH_BYTES);
        readFully(channel, lengthField, 0, source);
        long headerLength = lengthField.flip().order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > size - LENGTH_BYTES) {
            throw new DataFormatException(
                    source
                            + ": header length "
                            + Long.toUnsignedString(headerLength)
                            + " at byte 0 is larger than the "
                            + (size - LENGTH_BYTES)
                            + " bytes that follow it");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new DataFormatException(
                    source
                            + ": header length "
                            + headerLength
                            + " at byte 0 exceeds the limit of "
                            + MAX_HEADER_BYTES
                            + " bytes");
        }

        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, LENGTH_BYTES, source);
        headerBytes.flip();
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(headerBytes)
                            .toString();
        } catch (CharacterCodingException e) {
            throw new DataFormatException(
                    source + ": header at byte 8 is not valid UTF-8: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(
                    source + ": header at byte 8 is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DataFormatException(
                    source + ": header at byte 8 is not a JSON object, expected {\"name\": {...}}");
        }

        long bufferStart = LENGTH_BYTES + headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = metadata(field.getValue(), source);
            } else {
                entries.add(entry(field.getKey(), field.getValue(), source));
            }
        }
        checkOffsets(entries, size - bufferStart, source);
        return new Header(bufferStart, metadata, entries);
    }

    private static Map<String, String> metadata(JsonNode node, String source) {
        if (!node.isObject()) {
            throw new DataFormatException(
                    source
                            + ": "
                            + METADATA_KEY
                            + " is "
                            + node
                            + ", expected an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new DataFormatException(
                        source
                                + ": "
                                + METADATA_KEY
                                + " value of '"
                                + field.getKey()
                                + "' is "
                                + field.getValue()
                                + ", expected a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static Entry entry(String name, JsonNode node, String source) {
        String where = source + ": tensor '" + name + "'";
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (!node.isObject()
                || dtype == null
                || !dtype.isTextual()
                || shape == null
                || !shape.isArray()
                || offsets == null
                || !offsets.isArray()
                || offsets.size() != 2) {
            throw new DataFormatException(
                    where
                            + " is "
                            + node
                            + ", expected {\"dtype\": string, \"shape\": [integers],"
                            + " \"data_offsets\": [begin, end]}");
        }
        ElementType type = DTYPES.get(dtype.textValue());
        if (type == null) {
            throw new DataFormatException(
                    where
                            + " has dtype '"
                            + dtype.textValue()
                            + "', expected one of "
                            + String.join(" ", DTYPES.keySet()));
        }

        int[] extents = new int[shape.size()];
        for (int axis = 0; axis < extents.length; axis++) {
            extents[axis] = (int) nonNegative(shape.get(axis), where + " shape", Integer.MAX_VALUE);
        }
        long count = boundedCount(extents);
        long begin = nonNegative(offsets.get(0), where + " data_offsets", Long.MAX_VALUE);
        long end = nonNegative(offsets.get(1), where + " data_offsets", Long.MAX_VALUE);
        if (end < begin) {
            throw new DataFormatException(
                    where
                            + " has data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] that end before they begin");
        }
        if (count > (Integer.MAX_VALUE - 8) / type.bytes()) {
            throw new DataFormatException(
                    where
                            + " of shape "
                            + Arrays.toString(extents)
                            + " is larger than 2^31 values or bytes, more than a tensor can hold");
        }
        if (end - begin != count * type.bytes()) {
            throw new DataFormatException(
                    where
                            + " has data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] spanning "
                            + (end - begin)
                            + " bytes, expected "
                            + count * type.bytes()
                            + " for shape "
                            + Arrays.toString(extents)
                            + " of "
                            + dtype.textValue());
        }
        return new Entry(name, type, extents, begin, end);
    }

    /** The product of the extents, or Long.MAX_VALUE when it exceeds 2^62. */
    private static long boundedCount(int[] extents) {
        long count = 1;
        for (int extent : extents) {
            if (extent == 0) {
                return 0;
            }
            count = count > (1L << 62) / extent ? Long.MAX_VALUE : count * extent;
        }
        return count;
    }

    private static long nonNegative(JsonNode node, String what, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new DataFormatException(
                    what + " holds " + node + ", expected a non-negative integer");
        }
        if (node.longValue() > max) {
            throw new DataFormatException(what + " holds " + node + ", expected at most " + max);
        }
        return node.longValue();
    }

    /** Checks that the entries, sorted by offset, tile [0, bufferLength) exactly. */
    private static void checkOffsets(List<Entry> entries, long bufferLength, String source) {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        String previous = null;
        for (Entry entry : entries) {
            String where = source + ": tensor '" + entry.name() + "'";
            String span = " has data_offsets [" + entry.begin() + ", " + entry.end() + "]";
            if (entry.begin() < expectedBegin) {
                throw new DataFormatException(
                        where
                                + span
                                + " that overlap tensor '"
                                + previous
                                + "' ending at "
                                + expectedBegin);
            }
            if (entry.begin() > expectedBegin) {
                throw new DataFormatException(
                        where
                                + span
                                + " that leave a gap of "
                                + (entry.begin() - expectedBegin)
                                + " bytes after "
                                + (previous == null
                                        ? "the start of the buffer"
                                        : "tensor '" + previous + "'")
                                + "; expected it to begin at "
                                + expectedBegin);
            }
            if (entry.end() > bufferLength) {
                throw new DataFormatException(
                        where
                                + span
                                + " that reach beyond the "
                                + bufferLength
                                + "-byte data buffer");
            }
            expectedBegin = entry.end();
            previous = entry.name();
        }
        if (expectedBegin != bufferLength) {
            throw new DataFormatException(
                    source
                            + ": "
                            + (bufferLength - expectedBegin)
                            + " bytes after the last tensor's data at buffer offset "
                            + expectedBegin
                            + "; expected the tensors to cover the "
                            + bufferLength
                            + "-byte buffer exactly");
        }
    }

    private static void readFully(
            FileChannel channel, ByteBuffer target, long position, String source)
            throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int count = channel.read(target, at);
            if (count < 0) {
                throw new DataFormatException(
                        source
                                + ": truncated: expected "
                                + target.capacity()
                                + " bytes at byte "
                                + position
                                + ", found "
                                + (at - position));
            }
            at += count;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, ElementType> dtypes() {
        Map<String, ElementType> dtypes = new LinkedHashMap<>();
        dtypes.put("F64", ElementType.FLOAT64);
        dtypes.put("F32", ElementType.FLOAT32);
        dtypes.put("F16", ElementType.FLOAT16);
        dtypes.put("BF16", ElementType.BFLOAT16);
        dtypes.put("I64", ElementType.INT64);
        dtypes.put("I32", ElementType.INT32);
        dtypes.put("I16", ElementType.INT16);
        dtypes.put("I8", ElementType.INT8);
        dtypes.put("U8", ElementType.UINT8);
        dtypes.put("BOOL", ElementType.BOOL);
        return Collections.unmodifiableMap(dtypes);
    }
}
