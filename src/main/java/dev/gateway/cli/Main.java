package dev.gateway.cli;

/** The {@code gateway} executable's entry point. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(System.out, System.err, args));
    }
}
