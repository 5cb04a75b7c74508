package org.sgdlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.sgdlab.tensor.RandomStream;

/**
 * Builders of residual networks for small images [n, c, h, w], scaled in width the way wide ResNets
 * are (Zagoruyko and Komodakis, 2016).
 *
 * <p>{@link #small} with width multiplier k and B blocks per stage:
 *
 * <pre>
 * conv3x3(c -> 16k) [- bn] - relu
 *     - B blocks at 16k channels            (stride 1)
 *     - B blocks at 32k channels            (the first with stride 2 and a projection)
 *     - B blocks at 64k channels            (the first with stride 2 and a projection)
 *     - global average pool - linear(64k -> classes)
 * </pre>
 *
 * The blocks are the post-activation basic blocks of {@link ResidualBlock}. A 28x28 image is 28x28,
 * 14x14 and 7x7 in the three stages; for one-channel 28x28 images and 10 classes, at k = 1 and B =
 * 1 the network with batch normalization has 77,754 parameters and does about 9.3 million
 * multiply-adds per image.
 *
 * <p>With batch normalization every block is the standard one. Without it, each block's residual
 * branch is multiplied by 1/sqrt(3B) (one over the square root of the number of blocks), the
 * scaling of the residual analyses of Du et al. (2019) and Allen-Zhu, Li and Song (2019) that keeps
 * the output's scale bounded at initialization as depth grows; the convolutions then carry biases.
 */
public final class ResNet {
    private ResNet() {}

    /** The three-stage network above, for inChannels-channel images and the given classes. */
    public static Sequential small(
            int inChannels,
            int classes,
            int widthMultiplier,
            int blocksPerStage,
            boolean batchNorm,
            Init init,
            RandomStream random) {
        if (inChannels <= 0 || classes <= 0 || widthMultiplier <= 0 || blocksPerStage <= 0) {
            throw new IllegalArgumentException(
                    "a ResNet needs positive sizes, got inChannels="
                            + inChannels
                            + ", classes="
                            + classes
                            + ", widthMultiplier="
                            + widthMultiplier
                            + ", blocksPerStage="
                            + blocksPerStage);
        }
        double branchScale = batchNorm ? 1 : 1 / Math.sqrt(3.0 * blocksPerStage);
        int stem = 16 * widthMultiplier;
        List<Module> layers = new ArrayList<>();
        layers.add(new Conv2d(inChannels, stem, 3, 1, 1, !batchNorm, init, random.derive("stem")));
        if (batchNorm) {
            layers.add(new BatchNorm(stem));
        }
        layers.add(Activation.relu());

        int channels = stem;
        int block = 0;
        for (int stage = 0; stage < 3; stage++) {
            int stageChannels = stem << stage;
            for (int index = 0; index < blocksPerStage; index++) {
                int stride = stage > 0 && index == 0 ? 2 : 1;
                layers.add(
                        new ResidualBlock(
                                channels,
                                stageChannels,
                                stride,
                                batchNorm,
                                branchScale,
                                init,
                                random.derive("block", block++)));
                channels = stageChannels;
            }
        }
        layers.add(new GlobalAvgPool());
        layers.add(new Linear(channels, classes, true, init, random.derive("head")));
        return new Sequential(layers);
    }
}
