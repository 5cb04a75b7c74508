package org.sgdlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sgdlab.experiment.noisy.LearningRateExperiment;
import org.sgdlab.experiment.noisy.LearningRateSweepExperiment;
import org.sgdlab.experiment.noisy.PatchExperiment;
import org.sgdlab.experiment.overparam.Memorization;
import org.sgdlab.experiment.overparam.TeacherStudent;
import org.sgdlab.experiment.overparam.WidthConvergence;
import org.sgdlab.experiment.realdata.ArchitecturesExperiment;
import org.sgdlab.experiment.realdata.DepthExperiment;
import org.sgdlab.experiment.realdata.RandomLabelsExperiment;
import org.sgdlab.experiment.realdata.WidthGeneralizationExperiment;

/**
 * The registry of experiments, in the order of the claims they test; {@code sgdlab list} and {@code
 * sgdlab reproduce} read it.
 */
public final class Experiments {
    private static final Map<String, Supplier<Experiment>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("memorization", Memorization::new);
        REGISTRY.put("architectures", ArchitecturesExperiment::new);
        REGISTRY.put("width-convergence", WidthConvergence::new);
        REGISTRY.put("teacher-student", TeacherStudent::new);
        REGISTRY.put("random-labels", RandomLabelsExperiment::new);
        REGISTRY.put("width-generalization", WidthGeneralizationExperiment::new);
        REGISTRY.put("depth", DepthExperiment::new);
        REGISTRY.put("learning-rate", LearningRateExperiment::new);
        REGISTRY.put("learning-rate-patch", PatchExperiment::new);
        REGISTRY.put("learning-rate-sweep", LearningRateSweepExperiment::new);
    }

    private Experiments() {}

    /** Every experiment, in claim order. */
    public static List<Experiment> all() {
        List<Experiment> all = new ArrayList<>();
        REGISTRY.values().forEach(supplier -> all.add(supplier.get()));
        return all;
    }

    /** The experiment of a name. */
    public static Experiment named(String name) {
        Supplier<Experiment> supplier = REGISTRY.get(name);
        if (supplier == null) {
            throw new IllegalArgumentException(
                    "unknown experiment '"
                            + name
                            + "'; known: "
                            + String.join(", ", REGISTRY.keySet())
                            + " (or a .yaml spec file)");
        }
        return supplier.get();
    }

    /** The names, in claim order. */
    public static List<String> names() {
        return new ArrayList<>(REGISTRY.keySet());
    }
}
