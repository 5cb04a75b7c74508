package org.sgdlab.data;

import java.util.List;

/**
 * A training and a test set whose examples each belong to one of a few named groups, so that errors
 * can be split by group: for the two-signal set, which signals an example carries.
 *
 * @param split the data
 * @param trainGroups the group index of each training example, in [0, groupNames.size())
 * @param testGroups the group index of each test example
 * @param groupNames the name of each group, indexed by group, in kebab case
 */
public record GroupedSplit(
        Split split, int[] trainGroups, int[] testGroups, List<String> groupNames) {
    public GroupedSplit {
        if (trainGroups.length != split.train().size()
                || testGroups.length != split.test().size()) {
            throw new IllegalArgumentException(
                    "one group per example is needed, got "
                            + trainGroups.length
                            + " for "
                            + split.train().size()
                            + " training and "
                            + testGroups.length
                            + " for "
                            + split.test().size()
                            + " test examples");
        }
        checkRange(trainGroups, groupNames.size());
        checkRange(testGroups, groupNames.size());
        groupNames = List.copyOf(groupNames);
    }

    public Dataset train() {
        return split.train();
    }

    public Dataset test() {
        return split.test();
    }

    /** The number of groups. */
    public int groupCount() {
        return groupNames.size();
    }

    /** How many examples of the training or test set fall in each group. */
    public int[] counts(boolean train) {
        int[] counts = new int[groupNames.size()];
        for (int group : train ? trainGroups : testGroups) {
            counts[group]++;
        }
        return counts;
    }

    private static void checkRange(int[] groups, int count) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] < 0 || groups[i] >= count) {
                throw new IllegalArgumentException(
                        "group "
                                + groups[i]
                                + " of example "
                                + i
                                + " is not in [0, "
                                + count
                                + ")");
            }
        }
    }
}
