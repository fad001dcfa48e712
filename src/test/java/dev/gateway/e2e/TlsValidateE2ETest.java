package dev.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway validate} (the real CLI, in a child process) on listen.tls: each unusable certificate, key, CA,
 * version or mode is an error at the line and column of the value at fault, an expired certificate is an error and
 * one that expires within 14 days a warning.
 */
class TlsValidateE2ETest {
    @TempDir
    Path dir;

    /** {@code file:line:column:} of the first line of {@code yaml} holding {@code marker}, pointing at it. */
    private static String at(Path file, String yaml, String marker) {
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int col = lines.get(i).indexOf(marker);
            if (col >= 0) return file + ":" + (i + 1) + ":" + (col + 1) + ":";
        }
        throw new AssertionError("no " + marker);
    }

    /** A self-signed certificate made by keytool that started {@code startDays} ago and lasts {@code days}. */
    private TestCerts.Pair keytoolPair(String name, String startDays, int days) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        Tools.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-startdate", startDays, "-validity", Integer.toString(days), "-keystore", p12.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit"), 60);
        TestCerts.Pair pair = new TestCerts.Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        TestCerts.openssl("pkcs12", "-in", p12.toString(), "-passin", "pass:changeit", "-nokeys", "-out",
                pair.cert().toString());
        TestCerts.openssl("pkcs12", "-in", p12.toString(), "-passin", "pass:changeit", "-nocerts", "-nodes", "-out",
                pair.key().toString());
        return pair;
    }

    @Test
    void everyUnusableTlsSettingIsAnErrorAtItsValue() throws Exception {
        TestCerts certs = new TestCerts(dir);
        certs.leaf("good", 30, "api.example.com");
        certs.leaf("other", 30, "other.example.com");
        keytoolPair("expired", "-10d", 5);
        String yaml = """
                listen:
                  host: 127.0.0.1
                  tls:
                    certificates:
                      - { cert: missing.pem, key: good.key }
                      - { cert: good.pem, key: other.key }
                      - { cert: expired.pem, key: expired.key }
                      - { cert: good.pem, key: good.pem }
                    min-version: TLSv1.1
                    client-auth: { ca: good.key, mode: sometimes }
                routes: []
                """;
        Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml);
        GatewayProcess.Finished r = GatewayProcess.run(dir, "validate", "--config", config.toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        String err = r.stderr();
        assertThat(err).contains(at(config, yaml, "missing.pem") + " error: listen.tls.certificates[0].cert: "
                + "certificate file " + dir.resolve("missing.pem") + ": it does not exist");
        assertThat(err).contains(at(config, yaml, "other.key") + " error: listen.tls.certificates[1].key: key file "
                + dir.resolve("other.key") + ": the private key does not belong to certificate");
        assertThat(err).contains(at(config, yaml, "expired.pem") + " error: listen.tls.certificates[2].cert: "
                + "certificate 'CN=expired' (expired.pem) expired on ");
        assertThat(err).contains(at(config, yaml, "good.pem }") + " error: listen.tls.certificates[3].key: key file "
                + dir.resolve("good.pem") + ": no private key block; is this the certificate file?");
        assertThat(err).contains(at(config, yaml, "TLSv1.1") + " error: listen.tls.min-version: unknown TLS version "
                + "'TLSv1.1' (expected one of TLSv1.2, TLSv1.3)");
        assertThat(err).contains(at(config, yaml, "good.key, mode") + " error: listen.tls.client-auth.ca: client CA "
                + "file " + dir.resolve("good.key") + ": no -----BEGIN CERTIFICATE----- block; is this the key file?");
        assertThat(err).contains(at(config, yaml, "sometimes") + " error: listen.tls.client-auth.mode: unknown mode "
                + "'sometimes' (expected required or optional)");
        assertThat(err).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aCertificateExpiringWithinFourteenDaysIsAWarningAndTheFileIsValid() throws Exception {
        keytoolPair("soon", "-1d", 6);
        String yaml = """
                listen:
                  tls: { certificates: [ { cert: soon.pem, key: soon.key } ] }
                routes: []
                """;
        Path config = Files.writeString(dir.resolve("gateway.yaml"), yaml);
        GatewayProcess.Finished r = GatewayProcess.run(dir, "validate", "--config", config.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains(at(config, yaml, "soon.pem") + " warning: listen.tls.certificates[0].cert: "
                + "certificate 'CN=soon' (soon.pem) expires on ").contains("; renew it");
    }
}
