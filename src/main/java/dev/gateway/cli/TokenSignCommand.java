package dev.gateway.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.nimbusds.jose.util.JSONObjectUtils;

import dev.gateway.auth.TokenSigner;
import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigLoader;
import dev.gateway.config.Durations;
import dev.gateway.config.JwtConfig;
import dev.gateway.config.KeyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gateway token-sign}: signs a token for local testing, with the first {@code hmac-secret} of the config's
 * {@code jwt.keys} or with a private key file; iss and aud default to the config's issuer and first audience. Prints
 * the token alone on stdout, so it composes with curl and token-test.
 */
@Command(name = "token-sign", mixinStandardHelpOptions = true,
        description = {"Sign a token for local testing with the config's HMAC secret or a private key file.",
                "Claim values that start with [ or { are JSON; others are strings."},
        footer = {"", "Examples:", "  gateway token-sign --config gateway.yaml --sub alice --claim roles=admin --ttl 1h",
                "  gateway token-sign --key keys/auth-rsa.pem --kid rsa-1 --sub bob --claim 'roles=[\"ops\",\"dev\"]'",
                "  curl -H \"Authorization: Bearer $(gateway token-sign --sub alice)\" localhost:8080/api/v1/users/me"})
final class TokenSignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config;

    @Option(names = "--sub", description = "The subject (sub claim).")
    String sub;

    @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Another claim (repeatable).")
    Map<String, String> claims = new LinkedHashMap<>();

    @Option(names = "--ttl", defaultValue = "1h", description = "Lifetime, e.g. 30s, 15m, 1h (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--key", paramLabel = "PRIVATE_KEY.pem",
            description = "Sign with this PKCS#8 PEM private key (RSA, EC or Ed25519) instead of the config's HMAC secret.")
    Path key;

    @Option(names = "--kid", description = "The kid header (default: the kid of the config's secret, if it has one).")
    String kid;

    @Option(names = "--iss", description = "The issuer (default: the config's jwt.issuer).")
    String iss;

    @Option(names = "--aud", description = "The audience (default: the config's first jwt.audiences entry).")
    String aud;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        Optional<JwtConfig> jwt;
        try {
            boolean configGiven = spec.commandLine().getParseResult().hasMatchedOption("--config");
            jwt = key != null && !configGiven && !Files.exists(config.path) ? Optional.empty()
                    : new ConfigLoader(System.getenv()).load(config.path).config().jwt();
        } catch (ConfigException e) {
            for (ConfigError f : e.findings()) err.println(f);
            return 1;
        }
        TokenSigner signer;
        try {
            signer = signer(jwt);
        } catch (IllegalArgumentException e) {
            err.println("gateway token-sign: " + e.getMessage());
            return 1;
        }
        Duration lifetime;
        try {
            lifetime = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ttl: " + e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Optional.ofNullable(iss).or(() -> jwt.flatMap(JwtConfig::issuer)).ifPresent(v -> body.put("iss", v));
        if (sub != null) body.put("sub", sub);
        Optional.ofNullable(aud).or(() -> jwt.flatMap(j -> j.audiences().stream().findFirst()))
                .ifPresent(v -> body.put("aud", v));
        long now = Instant.now().getEpochSecond();
        body.put("iat", now);
        body.put("exp", now + lifetime.toSeconds());
        claims.forEach((name, value) -> body.put(name, claimValue(name, value)));
        String token;
        try {
            token = signer.sign(body);
        } catch (IllegalArgumentException e) {
            err.println("gateway token-sign: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println(token);
        return 0;
    }

    private TokenSigner signer(Optional<JwtConfig> jwt) {
        if (key != null) {
            String pem;
            try {
                pem = Files.readString(key, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + key + ": " + TokenInput.why(e));
            }
            try {
                return TokenSigner.privateKey(pem, Optional.ofNullable(kid));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
        }
        if (jwt.isEmpty()) {
            throw new IllegalArgumentException(config + " has no jwt section; add one or sign with --key PRIVATE_KEY.pem");
        }
        KeyConfig.HmacSecret secret = jwt.get().keys().stream().filter(KeyConfig.HmacSecret.class::isInstance)
                .map(KeyConfig.HmacSecret.class::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(config + " has no hmac-secret key to sign with;"
                        + " sign with --key PRIVATE_KEY.pem (the private half of a configured public key)"));
        return TokenSigner.hmac(secret.secret(), Optional.ofNullable(kid).or(secret::kid));
    }

    private Object claimValue(String name, String value) {
        if (name.equals("exp") || name.equals("nbf") || name.equals("iat")) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--claim " + name
                        + ": must be a time in epoch seconds (the lifetime is --ttl): " + value);
            }
        }
        if (!value.startsWith("[") && !value.startsWith("{")) return value;
        try {
            return JSONObjectUtils.parse("{\"v\":" + value + "}").get("v");
        } catch (ParseException e) {
            throw new ParameterException(spec.commandLine(), "--claim " + name + ": not valid JSON: " + value);
        }
    }
}
