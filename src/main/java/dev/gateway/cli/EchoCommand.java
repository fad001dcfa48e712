package dev.gateway.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.gateway.echo.EchoServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code gateway echo}: a demo backend that answers with the request it received, as JSON. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = {"Run a demo backend that answers every request with the request it received, as JSON.",
                "Query parameters steer it: status=503, delay=250 (ms), bytes=N (a body of N bytes)."},
        footer = {"", "Examples:", "  gateway echo --port 9001", "  gateway echo --port 9002 --name users-2"})
final class EchoCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Port to listen on (0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--name", description = "Name reported in each answer (default: echo-PORT).")
    String name;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        try (EchoServer server = new EchoServer(host, port, name == null ? "echo-" + port : name)) {
            int bound = server.start();
            System.err.println("echo listening on http://" + host + ":" + bound);
            stop.await();
        }
        return 0;
    }
}
