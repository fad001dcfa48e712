package dev.gateway.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code gateway routes}: prints the route table, or explains which route would serve a request. */
@Command(name = "routes", mixinStandardHelpOptions = true, description = "Print the route table.")
final class RoutesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
