package org.sgdlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point. Exit codes: 0 success, 1 runtime failure, 2 invalid input. A user error prints
 * one line naming the bad value and what is allowed; an unexpected failure writes its stack trace
 * to a log file and prints where it is.
 */
@Command(
        name = "sgdlab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "A laboratory for the theory of deep learning: ReLU networks, plain SGD,"
                        + " and computed verdicts on what the theory claims.",
        subcommands = {
            ReproduceCommand.class,
            RunCommand.class,
            ListCommand.class,
            TrainCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code of a user error. */
    public static final int INVALID_INPUT = 2;

    /** Exit code of a failure at run time. */
    public static final int FAILURE = 1;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler(
                (exception, arguments) -> {
                    commandLine.getErr().println("sgdlab: " + exception.getMessage());
                    return INVALID_INPUT;
                });
        commandLine.setExecutionExceptionHandler(
                (exception, command, parseResult) -> handle(exception, command));
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    private static int handle(Exception exception, CommandLine command) {
        Throwable cause = exception;
        if (cause instanceof UserError || cause instanceof IllegalArgumentException) {
            command.getErr().println("sgdlab: " + cause.getMessage());
            return INVALID_INPUT;
        }
        Path log = crashLog(cause);
        command.getErr()
                .println(
                        "sgdlab: internal error: "
                                + cause
                                + (log == null ? "" : "; stack trace written to " + log));
        return FAILURE;
    }

    private static Path crashLog(Throwable cause) {
        try {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            String stamp =
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path file =
                    Path.of(System.getProperty("java.io.tmpdir"), "sgdlab-crash-" + stamp + ".log");
            Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            return null;
        }
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "sgdlab " + org.sgdlab.train.Provenance.version(),
                "commit " + org.sgdlab.train.Provenance.commit(),
                "Java " + System.getProperty("java.version")
            };
        }
    }
}
