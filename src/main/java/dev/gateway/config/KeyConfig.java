package dev.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** One source of token verification keys. toString never shows secret material. */
public sealed interface KeyConfig {

    /** A shared secret for HS256/384/512 (at least 32 bytes); {@code kid} optionally pins it to one key id. */
    record HmacSecret(String secret, Optional<String> kid) implements KeyConfig {
        @Override
        public String toString() {
            return "HmacSecret[secret=<redacted>, kid=" + kid.orElse("") + "]";
        }
    }

    /**
     * A PEM public key (RSA, EC or Ed25519) read from {@code path} (relative paths are resolved against the
     * config file's directory); {@code pem} is the file's content at load time, so a changed key file is a
     * changed config.
     */
    record PublicKeyFile(Path path, String pem, Optional<String> kid) implements KeyConfig {
    }

    /** A JWKS endpoint fetched at start and every {@code refresh} (default 10m). */
    record JwksUrl(URI url, Duration refresh) implements KeyConfig {
        public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(10);
    }
}
