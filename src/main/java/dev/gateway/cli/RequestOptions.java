package dev.gateway.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The {@code --match "METHOD /path?query"}, {@code --host} and {@code --header} options that describe a request. */
final class RequestOptions {
    @Option(names = "--match", paramLabel = "\"METHOD /path?query\"", description = "A request to route.")
    String match;

    @Option(names = "--host", description = "Host header of the --match request.")
    String host;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "A header of the --match request (repeatable).")
    Map<String, String> headers = new LinkedHashMap<>();

    /** The request as given: method upper-cased, path before any query, the query with its {@code ?}. */
    record Request(String method, String rawPath, String query, String host, Map<String, String> lowerHeaders) {
    }

    boolean given() {
        return match != null;
    }

    /** Parses {@code --match}; a usage error when it is not {@code METHOD /path}. */
    Request request(CommandLine cmd) {
        String[] parts = match.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new ParameterException(cmd, "--match takes \"METHOD /path\", e.g. \"GET /api/users\"");
        }
        int q = parts[1].indexOf('?');
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return new Request(parts[0].toUpperCase(Locale.ROOT), q < 0 ? parts[1] : parts[1].substring(0, q),
                q < 0 ? "" : parts[1].substring(q), host, lower);
    }
}
