package org.sgdlab.experiment.noisy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdlab.data.Dataset;
import org.sgdlab.data.GroupedSplit;
import org.sgdlab.nn.Loss;
import org.sgdlab.nn.Module;
import org.sgdlab.train.Evaluation;
import org.sgdlab.train.Probe;

/**
 * A probe of accuracy by group: for each group g of a {@link GroupedSplit} it measures {@code
 * train_accuracy_g} and {@code test_accuracy_g}, the share of the group's examples the model
 * classifies correctly, and {@code train_accuracy} and {@code test_accuracy} over the whole sets. A
 * group without examples has accuracy 1, so that it never holds a learning-order threshold back;
 * the counts are in {@link GroupedSplit#counts}.
 */
final class GroupAccuracy implements Probe {
    private final GroupedSplit data;
    private final Loss loss;

    GroupAccuracy(GroupedSplit data, Loss loss) {
        this.data = data;
        this.loss = loss;
    }

    /** The data it measures on. */
    GroupedSplit data() {
        return data;
    }

    @Override
    public Map<String, Double> measure(Module model) {
        Map<String, Double> values = new LinkedHashMap<>();
        Evaluation train = add(values, "train", model, data.train(), data.trainGroups());
        Evaluation test = add(values, "test", model, data.test(), data.testGroups());
        values.put("train_accuracy", train.accuracy());
        values.put("test_accuracy", test.accuracy());
        return values;
    }

    private Evaluation add(
            Map<String, Double> values, String part, Module model, Dataset set, int[] groups) {
        Evaluation evaluation = Evaluation.of(model, loss, set);
        double[] accuracy = byGroup(evaluation.correct(), groups, data.groupCount());
        List<String> names = data.groupNames();
        for (int g = 0; g < names.size(); g++) {
            values.put(part + "_accuracy_" + names.get(g), accuracy[g]);
        }
        return evaluation;
    }

    /** The share of correct examples in each group; 1 for a group without examples. */
    static double[] byGroup(boolean[] correct, int[] groups, int groupCount) {
        int[] total = new int[groupCount];
        int[] right = new int[groupCount];
        for (int i = 0; i < groups.length; i++) {
            total[groups[i]]++;
            right[groups[i]] += correct[i] ? 1 : 0;
        }
        double[] accuracy = new double[groupCount];
        for (int g = 0; g < groupCount; g++) {
            accuracy[g] = total[g] == 0 ? 1 : right[g] / (double) total[g];
        }
        return accuracy;
    }
}
