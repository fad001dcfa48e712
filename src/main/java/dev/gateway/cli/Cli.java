package dev.gateway.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.ref.Reference;
import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree; {@link #run} is also the test seam: it returns the exit code instead of exiting. */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "A single-binary API gateway configured by one hot-reloaded YAML file.",
        subcommands = {ServeCommand.class, ValidateCommand.class, RoutesCommand.class, TokenTestCommand.class,
                TokenSignCommand.class, EchoCommand.class,
                CommandLine.HelpCommand.class})
public final class Cli {
    /** Exit code for a usage error (bad options), as picocli reports it. */
    static final int USAGE = 2;
    /** Wide enough that no example in a command's help is broken in the middle. */
    static final int HELP_WIDTH = 110;

    public static int run(PrintStream out, PrintStream err, String... args) {
        // Helidon logs through JUL; keep its INFO chatter out of the gateway's own event log
        Logger.getLogger("").setLevel(Level.WARNING);
        // a failed bind is reported by GatewayServer in one line; Helidon's stack trace adds nothing
        Logger startup = Logger.getLogger("io.helidon.webserver.LoomServer");
        startup.setLevel(Level.OFF);
        // lettuce warns on every reconnect attempt; RedisStore logs each outage once itself
        Logger redis = Logger.getLogger("io.lettuce");
        redis.setLevel(Level.OFF);
        try {
            CommandLine cmd = new CommandLine(new Cli());
            cmd.setUsageHelpWidth(HELP_WIDTH);
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            return cmd.execute(args);
        } finally {
            Reference.reachabilityFence(startup); // JUL keeps loggers weakly; keep the levels while running
            Reference.reachabilityFence(redis);
        }
    }

    /** Prints the version recorded in the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"gateway " + (v == null ? "dev" : v)};
        }
    }
}
