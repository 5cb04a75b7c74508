/**
 * The over-parameterization experiments: memorization of random labels by wide networks ({@link
 * org.sgdlab.experiment.overparam.Memorization}), faster convergence and smaller movement from
 * initialization as the width grows ({@link org.sgdlab.experiment.overparam.WidthConvergence}), and
 * generalization of wide students of smooth teachers ({@link
 * org.sgdlab.experiment.overparam.TeacherStudent}).
 *
 * <p>Each class documents its model, loss convention, settings and the rule behind every verdict;
 * the analyses use {@link org.sgdlab.experiment.Statistics} only.
 */
package org.sgdlab.experiment.overparam;
