package dev.gateway.tls;

import java.util.function.Consumer;

import dev.gateway.observe.Exposition;

/** The listener certificates' expiry times at each scrape, one sample per configured pair, as serving now. */
public final class CertificateGauges implements Consumer<Exposition> {
    private final ServerTls tls;

    public CertificateGauges(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public void accept(Exposition out) {
        out.family("gateway_tls_certificate_expiry_timestamp_seconds", "gauge",
                "When each listener certificate serving now expires (its leaf's notAfter).");
        for (ServerIdentity id : tls.identities()) {
            out.sample("gateway_tls_certificate_expiry_timestamp_seconds", id.notAfter().getEpochSecond(),
                    "cert", id.certFile().toString(), "subject", id.subject(), "names", String.join(",", id.names()));
        }
    }
}
