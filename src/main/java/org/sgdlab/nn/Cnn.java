package org.sgdlab.nn;

import org.sgdlab.tensor.RandomStream;

/**
 * Builders of plain convolutional ReLU networks on images [n, c, h, w].
 *
 * <p>{@link #small} is the two-convolution network of the MNIST tutorials, with its width scaled by
 * a multiplier k:
 *
 * <pre>
 * conv3x3(c -> 16k) - relu - maxpool2 - conv3x3(16k -> 32k) - relu - maxpool2 - flatten
 *     - linear(32k floor(floor(h/2)/2) floor(floor(w/2)/2) -> classes)
 * </pre>
 *
 * The convolutions are padded by 1, so only the pooling halves the image; every layer has a bias
 * and draws its weight from the scheme with its own fan-in.
 */
public final class Cnn {
    private Cnn() {}

    /** The small network for images of the given channels and size, width multiplier k >= 1. */
    public static Sequential small(
            int inChannels,
            int height,
            int width,
            int classes,
            int widthMultiplier,
            Init init,
            RandomStream random) {
        if (inChannels <= 0 || classes <= 0 || widthMultiplier <= 0) {
            throw new IllegalArgumentException(
                    "a CNN needs positive sizes, got inChannels="
                            + inChannels
                            + ", classes="
                            + classes
                            + ", widthMultiplier="
                            + widthMultiplier);
        }
        if (height < 4 || width < 4) {
            throw new IllegalArgumentException(
                    "the small CNN pools twice by 2 and needs images of at least 4x4, got "
                            + height
                            + "x"
                            + width);
        }
        int first = 16 * widthMultiplier;
        int second = 32 * widthMultiplier;
        int features = second * (height / 2 / 2) * (width / 2 / 2);
        return new Sequential(
                new Conv2d(inChannels, first, 3, 1, 1, true, init, random.derive("layer", 0)),
                Activation.relu(),
                new MaxPool2d(2, 2),
                new Conv2d(first, second, 3, 1, 1, true, init, random.derive("layer", 1)),
                Activation.relu(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(features, classes, true, init, random.derive("layer", 2)));
    }
}
