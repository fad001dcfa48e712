package dev.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.gateway.config.KeyConfig;
import dev.gateway.observe.EventLog;
import org.junit.jupiter.api.Test;

class KeyLoadingTest {

    private static TokenVerifier build(KeyConfig... keys) {
        return new TokenVerifier(TokenVerifierTest.config(List.of(keys)), Clock.systemUTC(), new EventLog(System.err));
    }

    private static KeyConfig pemFile(String pem) {
        return new KeyConfig.PublicKeyFile(Path.of("keys/k.pem"), pem, Optional.empty());
    }

    @Test
    void shortHmacSecretsAreRefusedWithTheirPosition() {
        KeyConfig ok = new KeyConfig.HmacSecret(Tokens.secret(32), Optional.empty());
        assertThatThrownBy(() -> build(ok, new KeyConfig.HmacSecret("too-short", Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keys[1]: HMAC secret is 9 bytes; at least 32 are required")
                .hasMessageNotContaining("too-short");
        assertThatThrownBy(() -> TokenVerifier.checkKey(new KeyConfig.HmacSecret("x".repeat(31), Optional.empty())))
                .hasMessageStartingWith("HMAC secret is 31 bytes");
        TokenVerifier.checkKey(ok);
    }

    @Test
    void pemThatIsNotAPublicKeySaysWhatItIs() throws Exception {
        KeyPair rsa = Tokens.rsa();
        String privatePem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> build(pemFile(privatePem)))
                .hasMessageStartingWith("keys[0]: keys/k.pem: a private key (PRIVATE KEY)");
        assertThatThrownBy(() -> PemKeys.parse("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
                .hasMessageStartingWith("a certificate, not a public key");
        assertThatThrownBy(() -> PemKeys.parse("-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----"))
                .hasMessageStartingWith("a PKCS#1 RSA PUBLIC KEY");
        assertThatThrownBy(() -> PemKeys.parse("ssh-ed25519 AAAAC3Nza me@host"))
                .hasMessageStartingWith("not a PEM public key");
        assertThatThrownBy(() -> PemKeys.parse(Tokens.pem(rsa.getPublic()) + Tokens.pem(rsa.getPublic())))
                .hasMessageStartingWith("more than one PEM block");
        assertThatThrownBy(() -> PemKeys.parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .hasMessageStartingWith("PEM public key is not an RSA, EC or Ed25519 key");
    }

    @Test
    void weakAndUnsupportedKeyTypesAreRefused() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        assertThatThrownBy(() -> PemKeys.parse(Tokens.pem(small.generateKeyPair().getPublic())))
                .hasMessage("RSA key is 1024 bits; at least 2048 are required");
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> PemKeys.parse(Tokens.pem(ed448.getPublic())))
                .hasMessageStartingWith("unsupported public key type Ed448");
        KeyPair x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        assertThatThrownBy(() -> PemKeys.parse(Tokens.pem(x25519.getPublic())))
                .hasMessageStartingWith("unsupported public key type X25519");
    }

    @Test
    void supportedPublicKeysLoadAndDescribeThemselves() {
        assertThat(PemKeys.describe(PemKeys.parse(Tokens.pem(Tokens.rsa().getPublic())))).isEqualTo("RSA 2048-bit");
        assertThat(PemKeys.describe(PemKeys.parse(Tokens.pem(Tokens.ec("secp256r1").getPublic())))).isEqualTo("EC P-256");
        assertThat(PemKeys.describe(PemKeys.parse(Tokens.pem(Tokens.ec("secp384r1").getPublic())))).isEqualTo("EC P-384");
        assertThat(PemKeys.describe(PemKeys.parse(Tokens.pem(Tokens.ec("secp521r1").getPublic())))).isEqualTo("EC P-521");
        assertThat(PemKeys.describe(PemKeys.parse("\r\n" + Tokens.pem(Tokens.ed25519().getPublic()).replace("\n", "\r\n"))))
                .isEqualTo("Ed25519");
    }
}
