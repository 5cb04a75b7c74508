package org.sgdlab.nn;

import org.sgdlab.autograd.Ops;
import org.sgdlab.tensor.RandomStream;
import org.sgdlab.tensor.Tensor;

/**
 * The basic block of a ResNet (He et al., 2016) on images [n, c, h, w]:
 *
 * <pre>
 * y = relu(S(x) + alpha F(x)),   F = bn2 . conv2 . relu . bn1 . conv1
 * </pre>
 *
 * with conv1 a 3x3 convolution from the input channels to the output channels with the block's
 * stride, conv2 a 3x3 convolution with stride 1, both padded by 1, and alpha the branch scale (1 in
 * the standard block). The shortcut S is the identity when the channels and the size stay, and
 * otherwise a projection: a 1x1 convolution with the block's stride, followed by batch
 * normalization when the block uses it. Without batch normalization the bn layers are left out and
 * the convolutions carry biases; with it they have none, since the normalization removes any
 * constant. Children are named {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2} and {@code
 * shortcut} (its {@code 0} the convolution, {@code 1} the normalization).
 */
public final class ResidualBlock extends Module {
    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final Conv2d conv2;
    private final BatchNorm bn2;
    private final Sequential shortcut;
    private final double branchScale;

    /** A standard block (branch scale 1). */
    public ResidualBlock(
            int inChannels,
            int outChannels,
            int stride,
            boolean batchNorm,
            Init init,
            RandomStream random) {
        this(inChannels, outChannels, stride, batchNorm, 1, init, random);
    }

    /** A block whose residual branch is multiplied by branchScale before the sum. */
    public ResidualBlock(
            int inChannels,
            int outChannels,
            int stride,
            boolean batchNorm,
            double branchScale,
            Init init,
            RandomStream random) {
        if (stride < 1) {
            throw new IllegalArgumentException("a residual block needs stride >= 1, got " + stride);
        }
        if (!(branchScale > 0) || !Double.isFinite(branchScale)) {
            throw new IllegalArgumentException(
                    "the branch scale must be positive and finite, got " + branchScale);
        }
        boolean withBias = !batchNorm;
        this.conv1 =
                registerChild(
                        "conv1",
                        new Conv2d(
                                inChannels,
                                outChannels,
                                3,
                                stride,
                                1,
                                withBias,
                                init,
                                random.derive("conv1")));
        this.bn1 = batchNorm ? registerChild("bn1", new BatchNorm(outChannels)) : null;
        this.conv2 =
                registerChild(
                        "conv2",
                        new Conv2d(
                                outChannels,
                                outChannels,
                                3,
                                1,
                                1,
                                withBias,
                                init,
                                random.derive("conv2")));
        this.bn2 = batchNorm ? registerChild("bn2", new BatchNorm(outChannels)) : null;
        if (inChannels != outChannels || stride != 1) {
            Sequential projection =
                    new Sequential(
                            new Conv2d(
                                    inChannels,
                                    outChannels,
                                    1,
                                    stride,
                                    0,
                                    withBias,
                                    init,
                                    random.derive("shortcut")));
            if (batchNorm) {
                projection.add(new BatchNorm(outChannels));
            }
            this.shortcut = registerChild("shortcut", projection);
        } else {
            this.shortcut = null;
        }
        this.branchScale = branchScale;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor branch = conv1.forward(input);
        if (bn1 != null) {
            branch = bn1.forward(branch);
        }
        branch = conv2.forward(Ops.relu(branch));
        if (bn2 != null) {
            branch = bn2.forward(branch);
        }
        if (branchScale != 1) {
            branch = Ops.scale(branch, branchScale);
        }

        Tensor skip = shortcut == null ? input : shortcut.forward(input);
        return Ops.relu(Ops.add(skip, branch));
    }

    /** Whether the shortcut is a projection rather than the identity. */
    public boolean hasProjection() {
        return shortcut != null;
    }

    /** The factor alpha of the residual branch. */
    public double branchScale() {
        return branchScale;
    }
}
