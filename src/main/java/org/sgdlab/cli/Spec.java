package org.sgdlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment described in a YAML file, for {@code sgdlab run spec.yaml}:
 *
 * <pre>
 * experiment: width-convergence   # required: a name from `sgdlab list`
 * profile: quick                  # quick or full; default quick
 * seeds: 3                        # how many seeds; default the experiment's (3 for most)
 * first_seed: 0                   # the first seed; default 0
 * out: results/width              # output directory; default results/NAME
 * set:                            # overrides of the experiment's settings
 *   widths: [64, 256, 1024]       # lists as YAML lists or comma-separated text
 *   steps: 400
 * </pre>
 *
 * An unknown key, or a value of the wrong type, is one error naming the key, the value and what is
 * allowed.
 */
record Spec(
        String experiment,
        String profile,
        Integer seeds,
        long firstSeed,
        Path out,
        List<String> overrides) {
    private static final Set<String> KEYS =
            Set.of("experiment", "profile", "seeds", "first_seed", "out", "set");

    static Spec read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UserError("cannot read spec " + file + ": " + e.getMessage().split("\n")[0]);
        }
        if (root == null || !root.isObject()) {
            throw new UserError("spec " + file + " must be a YAML mapping with keys " + KEYS);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw new UserError(
                        "spec "
                                + file
                                + ": unknown key '"
                                + key
                                + "'; allowed: experiment, profile, seeds, first_seed, out, set");
            }
        }
        String experiment = text(file, root, "experiment", null);
        if (experiment == null) {
            throw new UserError("spec " + file + ": the key 'experiment' is required");
        }
        String profile = text(file, root, "profile", "quick");
        JsonNode seedsNode = root.get("seeds");
        Integer seeds =
                seedsNode == null || seedsNode.isNull()
                        ? null
                        : (int) integer(file, root, "seeds", 0);
        long firstSeed = integer(file, root, "first_seed", 0);
        String out = text(file, root, "out", "results/" + experiment);
        List<String> overrides = new ArrayList<>();
        JsonNode set = root.get("set");
        if (set != null && !set.isNull()) {
            if (!set.isObject()) {
                throw new UserError(
                        "spec " + file + ": 'set' must be a mapping of setting: value, got " + set);
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = set.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                overrides.add(field.getKey() + "=" + scalarOrList(file, field));
            }
        }
        return new Spec(experiment, profile, seeds, firstSeed, Path.of(out), overrides);
    }

    private static String scalarOrList(Path file, Map.Entry<String, JsonNode> field) {
        JsonNode value = field.getValue();
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isValueNode()) {
                    throw new UserError(
                            "spec "
                                    + file
                                    + ": set."
                                    + field.getKey()
                                    + " must be a list of numbers, got "
                                    + value);
                }
                parts.add(element.asText());
            }
            return String.join(",", parts);
        }
        if (!value.isValueNode()) {
            throw new UserError(
                    "spec "
                            + file
                            + ": set."
                            + field.getKey()
                            + " must be a number, text, true/false or a list, got "
                            + value);
        }
        return value.asText();
    }

    private static String text(Path file, JsonNode root, String key, String fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new UserError("spec " + file + ": '" + key + "' must be text, got " + node);
        }
        return node.asText();
    }

    private static long integer(Path file, JsonNode root, String key, long fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw new UserError("spec " + file + ": '" + key + "' must be an integer, got " + node);
        }
        return node.asLong();
    }
}
