package dev.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and chains made by openssl in every form a certificate tool writes: PKCS#8, PKCS#1 RSA, SEC1 EC (with and
 * without the EC PARAMETERS block), Ed25519; a chain through an intermediate, in and out of order; and the hints for
 * the wrong file, an encrypted key, a key of another pair and broken base64.
 */
class PemBundleTest {
    @TempDir
    Path dir;

    private String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
        return out;
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    /** A self-signed certificate for {@code key} (a key file in dir), as {@code name}. */
    private String selfSigned(String key, String name) throws Exception {
        openssl("req", "-x509", "-key", key, "-out", name, "-days", "2", "-subj", "/CN=" + name);
        return read(name);
    }

    private void assertPair(String certFile, String keyFile) throws Exception {
        List<X509Certificate> chain = PemBundle.certificates(read(certFile));
        PrivateKey key = PemBundle.privateKey(read(keyFile));
        PemBundle.checkPair(chain, key);
    }

    @Test
    void everyKeyFormatParsesAndMatchesItsCertificate() throws Exception {
        openssl("genrsa", "-traditional", "-out", "rsa1.key", "2048");
        assertThat(read("rsa1.key")).contains("BEGIN RSA PRIVATE KEY");
        selfSigned("rsa1.key", "rsa.pem");
        assertPair("rsa.pem", "rsa1.key");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "rsa1.key", "-out", "rsa8.key");
        assertThat(read("rsa8.key")).contains("BEGIN PRIVATE KEY");
        assertPair("rsa.pem", "rsa8.key");

        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec1.key");
        assertThat(read("ec1.key")).contains("BEGIN EC PRIVATE KEY").doesNotContain("EC PARAMETERS");
        selfSigned("ec1.key", "ec.pem");
        assertPair("ec.pem", "ec1.key");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ecp.key");
        assertThat(read("ecp.key")).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        selfSigned("ecp.key", "ecp.pem");
        assertPair("ecp.pem", "ecp.key");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec1.key", "-out", "ec8.key");
        assertPair("ec.pem", "ec8.key");

        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.key");
        selfSigned("ed.key", "ed.pem");
        assertPair("ed.pem", "ed.key");
    }

    @Test
    void aChainMustBeLeafFirstThenEachIssuer() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "root.key", "-out", "root.pem", "-days", "2", "-subj", "/CN=Root",
                "-addext", "basicConstraints=critical,CA:TRUE");
        Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "mid.key",
                "-out", "mid.csr", "-subj", "/CN=Intermediate");
        openssl("x509", "-req", "-in", "mid.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2",
                "-out", "mid.pem", "-days", "2", "-extfile", "ca.ext");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key",
                "-out", "leaf.csr", "-subj", "/CN=api.example.com");
        openssl("x509", "-req", "-in", "leaf.csr", "-CA", "mid.pem", "-CAkey", "mid.key", "-set_serial", "3",
                "-out", "leaf.pem", "-days", "2");
        PrivateKey key = PemBundle.privateKey(read("leaf.key"));
        List<X509Certificate> inOrder = PemBundle.certificates("text before\n" + read("leaf.pem") + read("mid.pem"));
        assertThat(inOrder).hasSize(2);
        PemBundle.checkPair(inOrder, key);

        List<X509Certificate> skipped = PemBundle.certificates(read("leaf.pem") + read("root.pem"));
        assertThatThrownBy(() -> PemBundle.checkPair(skipped, key)).hasMessage("certificate 2 ('CN=Root') is not the"
                + " issuer of certificate 1 ('CN=api.example.com'); list the chain leaf first, then each issuer");
        List<X509Certificate> reversed = PemBundle.certificates(read("mid.pem") + read("leaf.pem"));
        assertThatThrownBy(() -> PemBundle.checkPair(reversed, key))
                .hasMessage("the private key does not belong to certificate 'CN=Intermediate' (the first in the chain)");
    }

    @Test
    void theWrongFileAnEncryptedKeyAndBrokenTextGetAHint() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "a.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "b.key");
        String cert = selfSigned("a.key", "a.pem");
        assertThatThrownBy(() -> PemBundle.checkPair(PemBundle.certificates(cert),
                PemBundle.privateKey(read("b.key"))))
                .hasMessage("the private key does not belong to certificate 'CN=a.pem' (the first in the chain)");
        assertThatThrownBy(() -> PemBundle.certificates(read("a.key")))
                .hasMessage("no -----BEGIN CERTIFICATE----- block; is this the key file?");
        assertThatThrownBy(() -> PemBundle.privateKey(cert))
                .hasMessage("no private key block; is this the certificate file?");
        assertThatThrownBy(() -> PemBundle.privateKey(read("a.key") + read("b.key")))
                .hasMessage("more than one private key; put one in the file");

        openssl("pkcs8", "-topk8", "-in", "a.key", "-out", "enc8.key", "-passout", "pass:secret");
        assertThat(read("enc8.key")).contains("ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> PemBundle.privateKey(read("enc8.key"))).hasMessageStartingWith("the key is encrypted")
                .hasMessageContaining("openssl pkey");
        openssl("genrsa", "-traditional", "-aes128", "-passout", "pass:secret", "-out", "enc1.key", "2048");
        assertThat(read("enc1.key")).contains("Proc-Type: 4,ENCRYPTED");
        assertThatThrownBy(() -> PemBundle.privateKey(read("enc1.key"))).hasMessageStartingWith("the key is encrypted");

        assertThatThrownBy(() -> PemBundle.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
                .hasMessage("certificate block 1 is not an X.509 certificate");
        assertThatThrownBy(() -> PemBundle.privateKey("-----BEGIN PRIVATE KEY-----\nA\n-----END PRIVATE KEY-----"))
                .hasMessage("the PRIVATE KEY is not valid base64");
        assertThatThrownBy(() -> PemBundle.certificates("hello")).hasMessage("no -----BEGIN CERTIFICATE----- block");
    }
}
