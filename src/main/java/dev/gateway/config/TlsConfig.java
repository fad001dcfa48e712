package dev.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code listen.tls}: the HTTPS listener's certificate pairs (chosen by SNI; the first is the default), the lowest
 * TLS version accepted (default TLSv1.2) and optional client-certificate checking. Paths are resolved against the
 * config file's directory; the files' content is not part of the config (it is re-read when the files change).
 */
public record TlsConfig(List<CertificateFiles> certificates, String minVersion, Optional<ClientAuth> clientAuth) {
    public static final String DEFAULT_MIN_VERSION = "TLSv1.2";
    public static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

    public TlsConfig {
        certificates = List.copyOf(certificates);
    }

    /** A PEM certificate chain (leaf first) and its PEM private key. */
    public record CertificateFiles(Path cert, Path key) {
    }

    /** Client certificates are checked against the CA certificates in {@code ca}; {@code required} or optional. */
    public record ClientAuth(Path ca, boolean required) {
    }

    /** The protocol versions to enable: {@code minVersion} and every newer one. */
    public List<String> protocols() {
        return VERSIONS.subList(VERSIONS.indexOf(minVersion), VERSIONS.size()).reversed();
    }
}
