package dev.gateway.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Binds {@code jwt.keys}: each item is exactly one of {@code hmac-secret}, {@code public-key} (a PEM file read now,
 * relative to the config file's directory) or {@code jwks-url}. Secret values never appear in a message.
 */
final class KeyBinder {
    static final List<String> KINDS = List.of("hmac-secret", "public-key", "jwks-url");
    static final List<String> KEYS = List.of("hmac-secret", "public-key", "jwks-url", "kid", "refresh");
    static final int MIN_HMAC_BYTES = 32;
    static final String PEM_MARKER = "-----BEGIN PUBLIC KEY-----";
    /** A PEM public key is a few KiB at most; anything far larger is the wrong file. */
    static final long MAX_PEM_BYTES = 1 << 20;
    private static final String KINDS_TEXT = "hmac-secret, public-key or jwks-url";

    private final NodeReader reader;
    private final Findings findings;
    private final Path baseDir;
    private final Map<String, Node> kids = new HashMap<>();

    /** {@code baseDir}: the config file's directory, for relative {@code public-key} paths. */
    KeyBinder(NodeReader reader, Path baseDir) {
        this.reader = reader;
        this.findings = reader.findings();
        this.baseDir = baseDir;
    }

    /** The keys, or null after recording errors. */
    List<KeyConfig> bind(Node node, String path) {
        if (node instanceof ScalarNode && !NodeReader.isEmpty(node)) {
            // Not echoed: a secret written straight under keys must not end up in the message.
            findings.locate(path, node);
            findings.error(node, path, "expected a list of keys, got a single value (write - hmac-secret: ...)");
            return null;
        }
        List<Node> items = reader.list(node, path);
        if (items == null) return null;
        if (items.isEmpty()) {
            findings.error(node, path, "must list at least one key (" + KINDS_TEXT + ")");
            return null;
        }
        List<KeyConfig> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            KeyConfig key = key(items.get(i), path + "[" + i + "]");
            if (key != null) out.add(key);
        }
        return out.size() == items.size() ? out : null;
    }

    private KeyConfig key(Node node, String path) {
        if (node instanceof ScalarNode && !NodeReader.isEmpty(node)) {
            findings.locate(path, node);
            findings.error(node, path, "expected a mapping with one of " + KINDS_TEXT + ", got a single value");
            return null;
        }
        Fields f = reader.fields(node, path, KEYS);
        if (f == null) return null;
        List<String> kinds = KINDS.stream().filter(k -> f.get(k) != null).toList();
        if (kinds.isEmpty()) {
            findings.error(f.node(), path, "missing one of " + KINDS_TEXT);
            return null;
        }
        if (kinds.size() > 1) {
            findings.error(f.keyNode(kinds.get(1)), path, kinds.get(0) + " and " + kinds.get(1)
                    + " cannot be used together (each key has exactly one of " + KINDS_TEXT
                    + "; list them as separate keys)");
            return null;
        }
        String kind = kinds.getFirst();
        boolean ok = true;
        if (f.get("refresh") != null && !kind.equals("jwks-url")) {
            findings.error(f.keyNode("refresh"), path, "refresh only applies to jwks-url keys (not to " + kind + ")");
            ok = false;
        }
        if (f.get("kid") != null && kind.equals("jwks-url")) {
            findings.error(f.keyNode("kid"), path, "kid cannot be set on jwks-url keys (the key set names its own keys)");
            ok = false;
        }
        Optional<String> kid = Optional.empty();
        if (f.get("kid") != null && !kind.equals("jwks-url")) {
            kid = kid(f.get("kid"), f.child("kid"));
            ok &= kid != null;
        }
        KeyConfig key = switch (kind) {
            case "hmac-secret" -> hmac(f.get(kind), f.child(kind), kid);
            case "public-key" -> publicKey(f.get(kind), f.child(kind), kid);
            default -> jwks(f);
        };
        return ok ? key : null;
    }

    private Optional<String> kid(Node node, String path) {
        String kid = reader.nonBlank(node, path);
        if (kid == null) return null;
        Node first = kids.putIfAbsent(kid, node);
        if (first != null) {
            findings.error(node, path, "duplicate kid '" + kid + "' (first at line " + findings.at(first).line() + ")");
            return null;
        }
        return Optional.of(kid);
    }

    private KeyConfig hmac(Node node, String path, Optional<String> kid) {
        String secret = reader.secret(node, path);
        if (secret == null) return null;
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_HMAC_BYTES) {
            findings.error(node, path, "hmac-secret must be at least " + MIN_HMAC_BYTES + " bytes (got " + bytes + ")");
            return null;
        }
        return kid == null ? null : new KeyConfig.HmacSecret(secret, kid);
    }

    private KeyConfig publicKey(Node node, String path, Optional<String> kid) {
        String given = reader.nonBlank(node, path);
        if (given == null) return null;
        Path file;
        try {
            file = baseDir.resolve(given).normalize();
        } catch (InvalidPathException e) {
            findings.error(node, path, "invalid path '" + given + "' (" + e.getReason() + ")");
            return null;
        }
        String pem = readPem(file, node, path);
        return pem == null || kid == null ? null : new KeyConfig.PublicKeyFile(file, pem, kid);
    }

    private String readPem(Path file, Node node, String path) {
        String problem;
        try {
            if (Files.isDirectory(file)) {
                problem = "it is a directory";
            } else if (Files.size(file) > MAX_PEM_BYTES) {
                problem = "it is larger than 1MiB, too large for a PEM public key";
            } else {
                byte[] bytes = Files.readAllBytes(file);
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    text = "";
                }
                if (text.contains(PEM_MARKER)) return text;
                // The content is never shown: the wrong file may well be a private key.
                findings.error(node, path, "not a PEM public key (expected " + PEM_MARKER + ")");
                return null;
            }
        } catch (NoSuchFileException e) {
            problem = "it does not exist";
        } catch (AccessDeniedException e) {
            problem = "permission denied";
        } catch (IOException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        findings.error(node, path, "cannot read public key file " + file + ": " + problem);
        return null;
    }

    private KeyConfig jwks(Fields f) {
        Node node = f.get("jwks-url");
        String path = f.child("jwks-url");
        String text = reader.nonBlank(node, path);
        URI url = text == null ? null : jwksUrl(text, node, path);
        Duration refresh = KeyConfig.JwksUrl.DEFAULT_REFRESH;
        if (f.get("refresh") != null) refresh = reader.duration(f.get("refresh"), f.child("refresh"), false);
        return url == null || refresh == null ? null : new KeyConfig.JwksUrl(url, refresh);
    }

    private URI jwksUrl(String text, Node node, String path) {
        // A URL with user info carries a password: then the text is never shown.
        String got = text.contains("@") ? "" : " (got '" + text + "')";
        String problem = null;
        URI uri = null;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            problem = "invalid jwks-url: " + e.getReason() + got;
        }
        if (uri != null) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawUserInfo() != null) {
                problem = "jwks-url must not contain user info";
            } else if (!scheme.equals("http") && !scheme.equals("https") || !text.contains("://")) {
                problem = "jwks-url must be an absolute http or https URL" + got;
            } else if (uri.getHost() == null) {
                problem = "jwks-url has no valid host" + got;
            } else if (uri.getRawFragment() != null) {
                problem = "jwks-url must not have a fragment" + got;
            }
        }
        if (problem != null) {
            findings.error(node, path, problem);
            return null;
        }
        return uri;
    }
}
