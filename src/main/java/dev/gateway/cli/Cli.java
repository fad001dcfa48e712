package dev.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.ref.Reference;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree; {@link #run} is also the test seam: it returns the exit code instead of exiting. */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "A single-binary API gateway configured by one hot-reloaded YAML file.",
        footer = {"", "Examples:", "  gateway serve --config gateway.yaml",
                "  gateway validate --config gateway.yaml",
                "  gateway routes --config gateway.yaml --match \"GET /api/v1/users/me\"",
                "  gateway help serve", "  gateway --version", "  source <(gateway completion)"},
        subcommands = {ServeCommand.class, ValidateCommand.class, RoutesCommand.class, TokenTestCommand.class,
                TokenSignCommand.class, EchoCommand.class, CompletionCommand.class,
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
            cmd.getSubcommands().get("help").getCommandSpec().usageMessage().footer(
                    "", "Examples:", "  gateway help", "  gateway help token-test");
            return cmd.execute(args);
        } finally {
            Reference.reachabilityFence(startup); // JUL keeps loggers weakly; keep the levels while running
            Reference.reachabilityFence(redis);
        }
    }

    /**
     * Prints the version, the commit and build time that Maven recorded in {@code build.properties}, and the JVM
     * running it. A value the build could not fill in (no git checkout) reads "unknown".
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("build.properties")) {
                if (in != null) build.load(in);
            }
            String commit = value(build, "commit");
            if (Boolean.parseBoolean(build.getProperty("dirty"))) commit += "-dirty";
            return new String[] {
                    "gateway " + value(build, "version"),
                    "commit " + commit + ", built " + value(build, "time"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }

        private static String value(Properties build, String key) {
            String v = build.getProperty(key, "");
            return v.isBlank() || v.startsWith("${") ? "unknown" : v;
        }
    }
}
