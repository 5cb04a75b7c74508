package org.sgdlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sgdlab.bench.ConvBenchmark;
import org.sgdlab.bench.StepBenchmark;
import org.sgdlab.bench.Timer;
import org.sgdlab.tensor.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sgdlab bench}: the performance benchmarks, printed as tables. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Measure SGD steps and convolutions against OpenBLAS on the same products.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--trials", defaultValue = "5", description = "Timed trials per measurement.")
    int trials;

    @Option(
            names = "--trial-seconds",
            defaultValue = "0.5",
            description = "Minimum seconds per trial.")
    double trialSeconds;

    @Override
    public Integer call() {
        if (trials < 1 || !(trialSeconds > 0)) {
            throw new UserError(
                    "--trials and --trial-seconds must be positive, got "
                            + trials
                            + " and "
                            + trialSeconds);
        }
        Timer timer = new Timer(1.0, trialSeconds, trials);
        System.out.println("OpenBLAS: " + Gemm.blasConfiguration());
        System.out.println("One SGD step of a two-layer ReLU MLP, squared loss, 10 outputs:");
        print(new StepBenchmark(timer).run());
        System.out.println();
        System.out.println("Convolutions and training steps on 28x28 images, batch 64:");
        print(new ConvBenchmark(timer).run());
        return 0;
    }

    static void print(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Integer> widths = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (String column : rows.get(0).keySet()) {
            int width = Math.max(12, column.length() + 2);
            widths.add(width);
            header.append(String.format(Locale.ROOT, "%" + width + "s", column));
        }
        System.out.println(header);
        for (Map<String, Object> row : rows) {
            StringBuilder line = new StringBuilder();
            int index = 0;
            for (Object value : row.values()) {
                int width = widths.get(index++);
                line.append(
                        value instanceof Double number
                                ? String.format(Locale.ROOT, "%" + width + ".3f", number)
                                : String.format(Locale.ROOT, "%" + width + "s", value));
            }
            System.out.println(line);
        }
    }
}
