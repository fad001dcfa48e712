package dev.gateway.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the server certificate for each handshake from the identities loaded now: the first whose names cover the
 * client's SNI host name and whose key fits the signature the client can check, else the first that fits (the
 * default). The identities are read on every handshake, so a renewal takes effect for the next one; an alias
 * names the generation it was chosen from, so a handshake that began before a renewal finishes with its pair.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final Supplier<Identities> current;

    SniKeyManager(Supplier<Identities> current) {
        this.current = current;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    private String choose(String keyType, SSLSession session) {
        Identities identities = current.get();
        String host = sniHost(session);
        ServerIdentity fallback = null;
        for (ServerIdentity id : identities.all()) {
            if (!fits(keyType, id.key().getAlgorithm())) continue;
            if (host != null && id.serves(host)) return identities.alias(id);
            if (fallback == null) fallback = id;
        }
        return fallback == null ? null : identities.alias(fallback);
    }

    /**
     * Whether a key of {@code keyAlgorithm} can sign for {@code keyType}: the JDK asks by signature key type, so
     * EdDSA keys are offered as Ed25519 or Ed448, and RSA ones for PSS too.
     */
    private static boolean fits(String keyType, String keyAlgorithm) {
        return keyType.equals(keyAlgorithm) || (keyType.startsWith("Ed") && keyAlgorithm.equals("EdDSA"))
                || (keyType.equals("RSASSA-PSS") && keyAlgorithm.equals("RSA"));
    }

    private static String sniHost(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) return null;
        List<SNIServerName> names = extended.getRequestedServerNames();
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName host) {
                String h = host.getAsciiName().toLowerCase(Locale.ROOT);
                return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerIdentity id = current.get().byAlias(alias);
        return id == null ? null : id.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerIdentity id = current.get().byAlias(alias);
        return id == null ? null : id.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Identities identities = current.get();
        return identities.all().stream().filter(id -> fits(keyType, id.key().getAlgorithm()))
                .map(identities::alias).toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // a server identity only
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
