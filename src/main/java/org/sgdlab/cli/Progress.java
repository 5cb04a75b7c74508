package org.sgdlab.cli;

import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sgdlab.experiment.RunSpec;
import org.sgdlab.experiment.SweepListener;
import org.sgdlab.train.TrainingListener;
import org.sgdlab.train.TrainingResult;

/**
 * Progress bars with the time left, shown only on a terminal and not under {@code --quiet}; in CI
 * and pipes nothing is drawn and the commands print their plain result lines instead.
 */
final class Progress {
    private Progress() {}

    /** Whether bars should be drawn. */
    static boolean enabled(boolean quiet) {
        return !quiet && System.console() != null && System.getenv("CI") == null;
    }

    static ProgressBar bar(String task, long total) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }

    /** A bar over the steps of one training run, showing the last training loss. */
    static final class Training implements TrainingListener {
        private final String task;
        private ProgressBar bar;

        Training(String task) {
            this.task = task;
        }

        @Override
        public void started(long totalSteps) {
            bar = bar(task, totalSteps);
        }

        @Override
        public void stepped(long step) {
            bar.stepTo(step);
        }

        @Override
        public void logged(Map<String, Double> metrics) {
            bar.setExtraMessage(String.format(" loss %.4g", metrics.get("train_loss")));
        }

        @Override
        public void finished(TrainingResult result) {
            bar.close();
        }
    }

    /** A bar over the runs of a sweep. */
    static final class Sweep implements SweepListener {
        private ProgressBar bar;

        @Override
        public void started(String experiment, int total, int resumed) {
            bar = bar(experiment, total);
            bar.stepTo(resumed);
        }

        @Override
        public synchronized void runFinished(RunSpec run, int done, int total) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + run.id());
        }

        @Override
        public void finished(org.sgdlab.experiment.ExperimentResult result) {
            bar.close();
        }
    }
}
