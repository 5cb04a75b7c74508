/**
 * Data sets and data files.
 *
 * <p>A {@link org.sgdlab.data.Dataset} holds inputs [n, features...] and targets: class indices [n]
 * or regression targets [n, outputs]. Readers turn files into data sets: {@link
 * org.sgdlab.data.IdxReader} and {@link org.sgdlab.data.FashionMnist} (IDX, plain or gzipped),
 * {@link org.sgdlab.data.Cifar10Reader} (CIFAR-10 binary batches), {@link
 * org.sgdlab.data.NpyReader} (NumPy {@code .npy}) and {@link org.sgdlab.data.CsvReader}. A damaged
 * or missing file is a {@link org.sgdlab.data.DataFormatException} that names the file, the place
 * in it and what was expected. {@link org.sgdlab.data.Synthetic} and {@link
 * org.sgdlab.data.ComposedTarget} generate data sets from a seed. {@link
 * org.sgdlab.data.Corruption} holds the label and input corruptions of Zhang et al. (2017). {@link
 * org.sgdlab.data.Safetensors} reads and writes the checkpoint format; {@link
 * org.sgdlab.data.IdxWriter} and {@link org.sgdlab.data.NpyWriter} write the other formats. A
 * class-balanced Fashion-MNIST subset ships as a resource ({@link
 * org.sgdlab.data.FashionMnist#subset(boolean)}), made by {@link org.sgdlab.data.SubsetWriter}.
 * {@link org.sgdlab.data.TwoSignal} and {@link org.sgdlab.data.PatchedImages} build the data of the
 * learning-rate experiments, whose examples belong to groups ({@link org.sgdlab.data.GroupedSplit})
 * by the signals they carry.
 */
package org.sgdlab.data;
