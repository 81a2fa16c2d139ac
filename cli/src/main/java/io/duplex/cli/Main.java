package io.duplex.cli;

import io.duplex.cli.internal.CommandFailure;
import io.duplex.cli.internal.ConformanceClientCommand;
import io.duplex.cli.internal.Logging;
import io.duplex.cli.internal.ServeCommand;
import io.duplex.cli.internal.VersionProvider;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code duplex} command: global options and the subcommands.
 *
 * <p>Exit codes: 0 success (and {@code -h}, {@code --version}); 1 the command failed (a port in use, an
 * unreadable certificate, a conformance server that cannot be reached), reported as one line on stderr; 2 bad usage, reported with picocli's usage help.
 * A new subcommand is a picocli {@code @Command} class in {@code io.duplex.cli.internal} added to the
 * {@code subcommands} list below.
 *
 * <p>Threading: {@link #execute} runs the command on the calling thread; {@code serve} blocks it until the
 * server stops, {@code conformance-client} until the last case is done.
 */
@Command(name = "duplex",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Duplex WebSocket tools.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ServeCommand.class, ConformanceClientCommand.class})
public final class Main implements Callable<Integer> {

    /** Exit code of a command that failed at run time. */
    public static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

    /** Exit code of bad usage: an unknown option, a malformed value, a missing subcommand. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    private CommandSpec spec;

    private Main() {
    }

    /**
     * Runs {@code duplex} with {@code args} and exits the JVM with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Logging.configure();
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /**
     * Runs {@code duplex} with {@code args}, writing to {@code out} and {@code err}.
     *
     * @param out where results and usage help go
     * @param err where errors go
     * @param args the command line
     * @return the exit code: 0, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            err.println("duplex: " + describe(exception));
            err.flush();
            return EXIT_FAILURE;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code duplex} without a subcommand is a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: try 'duplex serve'");
    }

    // One line for the user: our own failures are already phrased for them; anything else gets its type.
    private static String describe(Throwable exception) {
        if (exception instanceof CommandFailure) {
            return exception.getMessage();
        }
        if (exception instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        String message = exception.getMessage();
        return "unexpected " + exception.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
