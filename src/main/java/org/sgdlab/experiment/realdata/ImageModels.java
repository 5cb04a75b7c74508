package org.sgdlab.experiment.realdata;

import org.sgdlab.data.Dataset;
import org.sgdlab.data.FashionMnist;
import org.sgdlab.nn.Activation;
import org.sgdlab.nn.Conv2d;
import org.sgdlab.nn.Flatten;
import org.sgdlab.nn.Init;
import org.sgdlab.nn.Linear;
import org.sgdlab.nn.MaxPool2d;
import org.sgdlab.nn.Mlp;
import org.sgdlab.nn.Module;
import org.sgdlab.nn.ReluRnn;
import org.sgdlab.nn.ResNet;
import org.sgdlab.nn.Sequential;
import org.sgdlab.tensor.RandomStream;

/**
 * The classifiers of the real-data experiments on one-channel square images of side s, and the
 * input shape each reads. Every weight is drawn from He's Gaussian N(0, 2 / fan-in), biases start
 * at zero.
 *
 * <ul>
 *   <li>{@code mlp}: {@link Mlp#relu} on the flat image [n, s^2]; depth counts weight layers.
 *   <li>{@code cnn}: on [n, 1, s, s], with c channels: conv3x3(1 -> c) - relu - maxpool2 -
 *       conv3x3(c -> 2c) - relu - maxpool2 - flatten - linear(2c floor(s/4)^2 -> 10), padded
 *       convolutions with biases. With c = 16 k it is {@link org.sgdlab.nn.Cnn#small} at width
 *       multiplier k; a free c lets the width experiment start narrower than 16.
 *   <li>{@code resnet}: {@link ResNet#small} on [n, 1, s, s], without batch normalization (its
 *       residual branches scaled by 1/sqrt(3B) instead), so that every layer is a plain ReLU layer
 *       trained by SGD.
 *   <li>{@code rnn}: the image read row by row as a sequence of s steps of s pixels, [n, s, s],
 *       into a {@link ReluRnn} of h hidden units, whose last state feeds linear(h -> 10).
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

    /** The two-convolution network with c channels in the first convolution and 2c in the next. */
    static Built cnn(int side, int channels, RandomStream random) {
        if (channels < 1 || side < 4) {
            throw new IllegalArgumentException(
                    "the CNN needs at least 1 channel and images of side 4 or more, got channels="
                            + channels
                            + ", side="
                            + side);
        }
        Init init = Init.he();
        int pooled = side / 2 / 2;
        Sequential network =
                new Sequential(
                        new Conv2d(1, channels, 3, 1, 1, true, init, random.derive("layer", 0)),
                        Activation.relu(),
                        new MaxPool2d(2, 2),
                        new Conv2d(
                                channels,
                                2 * channels,
                                3,
                                1,
                                1,
                                true,
                                init,
                                random.derive("layer", 1)),
                        Activation.relu(),
                        new MaxPool2d(2, 2),
                        new Flatten(),
                        new Linear(
                                2 * channels * pooled * pooled,
                                FashionMnist.CLASSES,
                                true,
                                init,
                                random.derive("layer", 2)));
        return new Built(network, new int[] {1, side, side});
    }

    /** The three-stage residual network at width multiplier k with B blocks per stage. */
    static Built resnet(int side, int multiplier, int blocksPerStage, RandomStream random) {
        return new Built(
                ResNet.small(
                        1,
                        FashionMnist.CLASSES,
                        multiplier,
                        blocksPerStage,
                        false,
                        Init.he(),
                        random),
                new int[] {1, side, side});
    }

    /** The recurrent network reading one image row per step, with h hidden units. */
    static Built rnn(int side, int hidden, RandomStream random) {
        Sequential network =
                new Sequential(
                        new ReluRnn(side, hidden, false, Init.he(), random.derive("recurrent")),
                        new Linear(
                                hidden,
                                FashionMnist.CLASSES,
                                true,
                                Init.he(),
                                random.derive("output")));
        return new Built(network, new int[] {side, side});
    }
}
