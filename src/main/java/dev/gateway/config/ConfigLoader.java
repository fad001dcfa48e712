package dev.gateway.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Parses, binds and validates a gateway file into a {@link LoadedConfig}. Every problem in the file is
 * reported at once, located and sorted, in the {@link ConfigException}. {@code ${VAR}} and
 * {@code ${VAR:-default}} in values come from the environment map given here, never from the process, so
 * tests and reloads see exactly what they pass. Files the config names ({@code jwt.keys[].public-key}) are resolved
 * against the config file's directory and read during the load. Stateless after construction and thread-safe.
 */
public final class ConfigLoader {
    private static final List<String> KEYS = List.of("listen", "upstreams", "routes", "jwt", "cors", "strip-headers",
            "rate-limits", "client-ip", "cache", "admin", "readiness");

    private final EnvSubstitution env;
    private final Clock clock;

    /** {@code clock} decides whether a listener certificate has expired or soon will. */
    public ConfigLoader(Map<String, String> environment, Clock clock) {
        this.env = new EnvSubstitution(Objects.requireNonNull(environment, "environment"));
        this.clock = clock;
    }

    public ConfigLoader(Map<String, String> environment) {
        this(environment, Clock.systemUTC());
    }

    /** Loads {@code file}; findings name it as given ({@code file.toString()}). */
    public LoadedConfig load(Path file) throws ConfigException {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw single(name, "cannot read the file: it does not exist");
        } catch (IOException e) {
            throw single(name, "cannot read the file: " + e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw single(name, "the file is not valid UTF-8");
        }
        return parse(file, name, text, bytes);
    }

    /** Parses {@code yaml} as if read from a file called {@code fileName} (whose directory relative paths resolve against). */
    public LoadedConfig parse(String fileName, String yaml) throws ConfigException {
        return parse(Path.of(fileName), fileName, yaml, yaml.getBytes(StandardCharsets.UTF_8));
    }

    private LoadedConfig parse(Path file, String name, String yaml, byte[] bytes) throws ConfigException {
        Findings findings = new Findings(name);
        Node root = compose(name, yaml, findings);
        if (root == null || NodeReader.isEmpty(root)) {
            if (!findings.hasErrors()) {
                findings.error(findings.top(), "", "the file is empty (expected a mapping with listen, upstreams and routes)");
            }
            throw new ConfigException(findings.sorted());
        }
        if (!(root instanceof MappingNode)) {
            findings.error(root, "", "expected a mapping with listen, upstreams and routes at the top level, got "
                    + (root instanceof SequenceNode ? "a list" : "a single value"));
            throw new ConfigException(findings.sorted());
        }
        Path dir = file.getParent() == null ? Path.of("") : file.getParent();
        GatewayConfig config = bind(new NodeReader(findings, env), root, dir);
        if (findings.hasErrors()) throw new ConfigException(findings.sorted());
        return new LoadedConfig(file, config, findings.locations(), findings.warnings(), sha256(bytes), yaml);
    }

    private static Node compose(String name, String yaml, Findings findings) {
        // A BOM is allowed at the start of a YAML stream; the composer only skips it when reading bytes.
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        LoadSettings settings = LoadSettings.builder().setLabel(name).setUseMarks(true).build();
        try {
            return new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            findings.error(mark == null ? findings.top() : findings.at(mark), "", syntaxMessage(e));
        } catch (YamlEngineException e) {
            findings.error(findings.top(), "", "invalid YAML: " + e.getMessage());
        }
        return null;
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem().strip();
        String context = e.getContext() == null ? "" : e.getContext().strip();
        if (problem.startsWith("but ") && !context.isEmpty()) {
            return "invalid YAML: " + context + ", " + problem;
        }
        if (!context.isEmpty() && e.getContextMark().isPresent()) {
            problem += " (" + context + " at line " + (e.getContextMark().get().getLine() + 1) + ")";
        }
        return "invalid YAML: " + problem;
    }

    /** {@code dir}: the config file's directory, which relative paths in the file are resolved against. */
    private GatewayConfig bind(NodeReader reader, Node root, Path dir) {
        Findings findings = reader.findings();
        Fields top = reader.fields(root, "", KEYS);
        ListenConfig listen = new ListenBinder(reader, dir, clock).bind(top.get("listen"));
        Optional<JwtConfig> jwt = new JwtBinder(reader, dir).bind(top.get("jwt"));
        Optional<CorsConfig> cors = new CorsBinder(reader).bind(top.get("cors"), "cors");
        List<String> stripHeaders = StripHeadersBinder.bind(reader, top.get("strip-headers"));
        RateLimitsBinder rateLimitsBinder = new RateLimitsBinder(reader);
        Optional<RateLimitsConfig> rateLimits = rateLimitsBinder.bind(top.get("rate-limits"));
        ClientIpConfig clientIp = ClientIpBinder.bind(reader, top.get("client-ip"));
        CacheConfig cache = CacheBinder.instance(reader, top.get("cache"));
        Optional<AdminConfig> admin = AdminBinder.admin(reader, top.get("admin"), listen);
        ReadinessConfig readiness = AdminBinder.readiness(reader, top.get("readiness"));
        UpstreamBinder upstreamBinder = new UpstreamBinder(reader);
        Map<String, UpstreamConfig> upstreams = upstreamBinder.bind(top.get("upstreams"));

        Node routesNode = top.get("routes");
        List<Node> items = routesNode == null ? List.of() : reader.list(routesNode, "routes");
        if (items != null && items.isEmpty()) {
            findings.warn(routesNode == null ? findings.top() : findings.at(routesNode), "",
                    "no routes: every request will be answered 404");
        }
        RouteBinder routeBinder = new RouteBinder(reader, upstreamBinder.declared(), top.get("jwt") != null,
                rateLimitsBinder.declared(), top.get("rate-limits") != null);
        List<RouteBinder.Bound> routes = routeBinder.bind(items == null ? List.of() : items);
        RouteTableCheck.check(routes, findings);
        if (items != null) {
            upstreamBinder.declared().forEach((upstream, path) -> {
                if (!routeBinder.referenced().contains(upstream)) {
                    findings.warn(findings.location(path), path, "upstream '" + upstream + "' is not used by any route");
                }
            });
        }
        if (findings.hasErrors()) return null;
        return new GatewayConfig(listen, jwt, cors, stripHeaders, rateLimits, clientIp, cache, admin, readiness,
                upstreams,
                routes.stream().map(RouteBinder.Bound::config).toList());
    }

    private static ConfigException single(String file, String message) {
        return new ConfigException(List.of(new ConfigError(new SourceLocation(file, 1, 1),
                ConfigError.Severity.ERROR, "", message)));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
