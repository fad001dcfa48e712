package dev.gateway.cli;

import java.nio.file.Path;
import java.time.Clock;

import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigLoader;
import dev.gateway.observe.EventLog;
import dev.gateway.runtime.RuntimeSnapshot;
import dev.gateway.runtime.SnapshotFactory;
import picocli.CommandLine.Option;

/** The {@code --config} option of the commands that read a gateway file, and the one way they build it. */
final class ConfigFileOption {
    @Option(names = {"-c", "--config"}, defaultValue = "gateway.yaml",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path path;

    /** Loads and builds the file exactly as serve does, short of binding ports. Close the result. */
    RuntimeSnapshot build() throws ConfigException {
        return new SnapshotFactory(Clock.systemUTC(), new EventLog(System.err))
                .build(new ConfigLoader(System.getenv()).load(path), null);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
