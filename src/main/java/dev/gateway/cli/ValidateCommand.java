package dev.gateway.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.pipeline.Json;
import dev.gateway.runtime.RuntimeSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gateway validate}: runs exactly what serve and reload run to build a runtime, short of binding
 * ports. Exit 0 when valid (warnings allowed), 1 when invalid, 2 on a usage error.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a config file: every error at once, with file:line:column.",
        footer = {"", "Exit codes: 0 valid (warnings allowed), 1 invalid, 2 usage error.", "",
                "Examples:", "  gateway validate --config gateway.yaml",
                "  gateway validate --config gateway.yaml --format json"})
final class ValidateCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        List<ConfigError> findings;
        boolean valid;
        try {
            RuntimeSnapshot snapshot = config.build();
            snapshot.close();
            findings = snapshot.loaded().warnings();
            valid = true;
        } catch (ConfigException e) {
            findings = e.findings();
            valid = false;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(json(valid, findings));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            for (ConfigError f : findings) (f.isError() ? err : out).println(f);
            long errors = findings.stream().filter(ConfigError::isError).count();
            long warnings = findings.size() - errors;
            out.println(config + ": " + (valid ? "valid" : "invalid") + " (" + errors + " error(s), " + warnings
                    + " warning(s))");
        }
        return valid ? 0 : 1;
    }

    private String json(boolean valid, List<ConfigError> findings) {
        StringBuilder b = new StringBuilder();
        b.append("{\"file\":");
        Json.string(b, config.toString());
        b.append(",\"valid\":").append(valid);
        b.append(",\"errors\":").append(findings.stream().filter(ConfigError::isError).count());
        b.append(",\"warnings\":").append(findings.stream().filter(f -> !f.isError()).count());
        b.append(",\"findings\":[");
        for (int i = 0; i < findings.size(); i++) {
            ConfigError f = findings.get(i);
            if (i > 0) b.append(',');
            b.append("{\"file\":");
            Json.string(b, f.location().file());
            b.append(",\"line\":").append(f.location().line());
            b.append(",\"column\":").append(f.location().column());
            b.append(",\"severity\":\"").append(f.severity().name().toLowerCase()).append('"');
            b.append(",\"path\":");
            Json.string(b, f.path());
            b.append(",\"message\":");
            Json.string(b, f.message());
            b.append('}');
        }
        return b.append("]}").toString();
    }
}
