package dev.gateway.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

import dev.gateway.tls.ServerIdentity;
import dev.gateway.tls.ServerTls;

/**
 * Binds {@code listen.tls}, reading each certificate and key file now: both must parse, the key must belong to the
 * certificate and the chain be in order; a leaf that has expired is an error, one that expires within
 * {@link #EXPIRY_WARNING} a warning. Paths are relative to the config file's directory.
 */
final class TlsBinder {
    static final List<String> KEYS = List.of("certificates", "min-version", "client-auth");
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final NodeReader reader;
    private final Findings findings;
    private final Path baseDir;
    private final Clock clock;

    TlsBinder(NodeReader reader, Path baseDir, Clock clock) {
        this.reader = reader;
        this.findings = reader.findings();
        this.baseDir = baseDir;
        this.clock = clock;
    }

    /** The bound section, or null after recording errors. */
    TlsConfig bind(Node node, String path) {
        Fields f = reader.fields(node, path, KEYS);
        if (f == null) return null;
        boolean ok = true;
        List<TlsConfig.CertificateFiles> pairs = new ArrayList<>();
        Node certs = f.get("certificates");
        if (certs == null) {
            findings.error(node, path, "missing certificates (a list of { cert: FILE.pem, key: FILE.key })");
            ok = false;
        } else {
            List<Node> items = reader.list(certs, f.child("certificates"));
            if (items != null && items.isEmpty()) {
                findings.error(certs, f.child("certificates"), "must list at least one { cert, key } pair");
            }
            ok &= items != null && !items.isEmpty();
            for (int i = 0; items != null && i < items.size(); i++) {
                TlsConfig.CertificateFiles pair = pair(items.get(i), f.child("certificates") + "[" + i + "]");
                if (pair == null) ok = false;
                else pairs.add(pair);
            }
        }
        String minVersion = TlsConfig.DEFAULT_MIN_VERSION;
        if (f.get("min-version") != null) {
            minVersion = reader.string(f.get("min-version"), f.child("min-version"));
            if (minVersion != null && !TlsConfig.VERSIONS.contains(minVersion)) {
                findings.error(f.get("min-version"), f.child("min-version"), "unknown TLS version '" + minVersion
                        + "' (expected one of " + String.join(", ", TlsConfig.VERSIONS) + ")"
                        + Suggestions.hint(minVersion, TlsConfig.VERSIONS));
                minVersion = null;
            }
            ok &= minVersion != null;
        }
        Optional<TlsConfig.ClientAuth> clientAuth = Optional.empty();
        if (f.get("client-auth") != null) {
            TlsConfig.ClientAuth c = clientAuth(f.get("client-auth"), f.child("client-auth"));
            ok &= c != null;
            clientAuth = Optional.ofNullable(c);
        }
        return ok ? new TlsConfig(pairs, minVersion, clientAuth) : null;
    }

    private TlsConfig.CertificateFiles pair(Node node, String path) {
        Fields f = reader.fields(node, path, List.of("cert", "key"));
        if (f == null) return null;
        Path cert = file(f, "cert", node);
        Path key = file(f, "key", node);
        if (cert == null || key == null) return null;
        ServerIdentity identity;
        try {
            identity = ServerIdentity.read(cert, key);
        } catch (ServerIdentity.UnusableFile e) {
            String at = e.keyFile() ? "key" : "cert";
            findings.error(f.get(at), f.child(at), e.getMessage());
            return null;
        }
        Instant now = clock.instant();
        Instant notAfter = identity.notAfter();
        String subject = "certificate '" + identity.subject() + "' (" + cert.getFileName() + ")";
        if (notAfter.isBefore(now)) {
            findings.error(f.get("cert"), f.child("cert"), subject + " expired on " + notAfter
                    + "; renew it (clients refuse an expired certificate)");
            return null;
        }
        if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            findings.warn(findings.at(f.get("cert")), f.child("cert"), subject + " expires on " + notAfter + ", in "
                    + Duration.between(now, notAfter).toDays() + " days; renew it");
        }
        if (identity.leaf().getNotBefore().toInstant().isAfter(now)) {
            findings.warn(findings.at(f.get("cert")), f.child("cert"), subject + " is not valid before "
                    + identity.leaf().getNotBefore().toInstant() + " (is this machine's clock right?)");
        }
        return new TlsConfig.CertificateFiles(cert, key);
    }

    private TlsConfig.ClientAuth clientAuth(Node node, String path) {
        Fields f = reader.fields(node, path, List.of("ca", "mode"));
        if (f == null) return null;
        Path ca = file(f, "ca", node);
        if (ca != null) {
            try {
                ServerTls.readCa(ca);
            } catch (IllegalArgumentException e) {
                findings.error(f.get("ca"), f.child("ca"), e.getMessage());
                ca = null;
            }
        }
        boolean required = true;
        if (f.get("mode") != null) {
            String mode = reader.string(f.get("mode"), f.child("mode"));
            if (mode != null && !mode.equals("required") && !mode.equals("optional")) {
                findings.error(f.get("mode"), f.child("mode"), "unknown mode '" + mode
                        + "' (expected required or optional)" + Suggestions.hint(mode, List.of("required", "optional")));
                return null;
            }
            if (mode == null) return null;
            required = mode.equals("required");
        }
        return ca == null ? null : new TlsConfig.ClientAuth(ca, required);
    }

    /** The file named under {@code key}, resolved; null after recording an error (including when it is absent). */
    private Path file(Fields f, String key, Node parent) {
        Node node = f.get(key);
        if (node == null) {
            findings.error(parent, f.path(), "missing " + key + " (a PEM file, relative to the config file)");
            return null;
        }
        String given = reader.nonBlank(node, f.child(key));
        if (given == null) return null;
        try {
            return baseDir.resolve(given).normalize();
        } catch (InvalidPathException e) {
            findings.error(node, f.child(key), "invalid path '" + given + "' (" + e.getReason() + ")");
            return null;
        }
    }
}
