package org.sgdlab.experiment;

import org.sgdlab.data.Dataset;
import org.sgdlab.data.FashionMnist;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Module;
import org.sgdlab.tensor.RandomStream;

/**
 * The classifiers of the real-data experiments on one-channel square images of side s, and the
 * input shape each reads. Every weight is drawn from He's Gaussian N(0, 2 / fan-in), biases start
 * at zero.
 *
 * <ul>
 *   <li>{@code mlp}: {@link Mlp#relu} on the flat image [n, s^2]; depth counts weight layers.
 * </ul>
 */
final class ImageModels {
    private ImageModels() {}

    /**
     * A model and the data it reads.
     *
     * @param module the network
     * @param featureShape the shape of one example as the network reads it
     */
    record Built(Module module, int[] featureShape) {
        /** The data set with its inputs viewed in this model's shape. */
        Dataset view(Dataset data) {
            return data.reshapeInputs(featureShape);
        }
    }

    /** A fully connected ReLU network with the given hidden width and depth (weight layers). */
    static Built mlp(int side, int width, int depth, RandomStream random) {
        return new Built(
                Mlp.relu(side * side, width, depth, FashionMnist.CLASSES, Init.he(), random),
                new int[] {side * side});
    }
}
