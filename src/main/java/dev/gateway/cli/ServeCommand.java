package dev.gateway.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code gateway serve}: runs the gateway until SIGTERM or SIGINT, then drains and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the config file; edits to it are hot-reloaded.",
        footer = {"", "Examples:", "  gateway serve --config gateway.yaml",
                "  gateway serve --config /etc/gateway/gateway.yaml --port 8080"})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigFileOption config;

    @Option(names = "--port", description = "Listen on this port instead of listen.port (0 picks a free one).")
    Integer port;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Gateway gateway;
        try {
            gateway = Gateway.start(config.path, System.getenv(), port, System.out, err);
        } catch (ConfigException e) {
            for (ConfigError f : e.findings()) err.println(f);
            err.println(config + ": not started: " + e.findings().stream().filter(ConfigError::isError).count()
                    + " error(s)");
            return 1;
        } catch (Exception e) {
            err.println("gateway: cannot start: " + e.getMessage());
            return 1;
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
        return 0;
    }
}
