package dev.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.gateway.background.Periodic;
import dev.gateway.config.TlsConfig;

/**
 * The HTTPS listener's TLS: an SSLContext whose certificates are chosen by SNI from the configured pairs and whose
 * client-certificate trust comes from the configured CA file, both re-read when their files change. Every
 * {@link #POLL} the files are read again (a renewal may rename, rewrite or swap a symlink, in this directory or
 * another); a changed pair that parses and matches takes effect for the next handshake, and one that does not is
 * logged once and the previous pair keeps serving. Connections already open are not touched. Thread-safe.
 */
public final class ServerTls implements AutoCloseable {
    public static final Duration POLL = Duration.ofMillis(500);

    private final TlsConfig config;
    private final Consumer<String> info;
    private final Consumer<String> error;
    private final AtomicReference<Identities> identities;
    private final ReloadingTrustManager clientTrust;
    private final SSLContext context;
    /**
     * Per watched file set (a pair's two files, or the CA file): the content last tried, and the error it gave when
     * that has not been logged yet.
     */
    private final Map<List<Path>, Attempt> attempts = new HashMap<>();
    private Periodic poller;

    private record Attempt(List<byte[]> content, String unlogged) {
        boolean same(List<byte[]> other) {
            if (other.size() != content.size()) return false;
            for (int i = 0; i < other.size(); i++) if (!Arrays.equals(other.get(i), content.get(i))) return false;
            return true;
        }
    }

    private ServerTls(TlsConfig config, List<ServerIdentity> loaded, X509ExtendedTrustManager trust,
                      Consumer<String> info, Consumer<String> error) throws GeneralSecurityException {
        this.config = config;
        this.info = info;
        this.error = error;
        this.identities = new AtomicReference<>(new Identities(loaded, 0, null));
        this.clientTrust = trust == null ? null : new ReloadingTrustManager(trust);
        this.context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new SniKeyManager(identities::get)},
                clientTrust == null ? null : new TrustManager[] {clientTrust}, null);
        for (TlsConfig.CertificateFiles pair : config.certificates()) {
            List<Path> files = List.of(pair.cert(), pair.key());
            attempts.put(files, new Attempt(read(files), null));
        }
        config.clientAuth().ifPresent(c -> attempts.put(List.of(c.ca()), new Attempt(read(List.of(c.ca())), null)));
    }

    /**
     * Reads every pair and the client CA now; throws when one cannot be used (validate has said why, with its
     * location, so this happens only when a file changed in between). {@code info} and {@code error} hear renewals
     * and rejected files.
     */
    public static ServerTls load(TlsConfig config, Consumer<String> info, Consumer<String> error)
            throws ServerIdentity.UnusableFile {
        List<ServerIdentity> loaded = new ArrayList<>();
        for (TlsConfig.CertificateFiles pair : config.certificates()) {
            loaded.add(ServerIdentity.read(pair.cert(), pair.key()));
        }
        try {
            X509ExtendedTrustManager trust = config.clientAuth().isEmpty() ? null
                    : trustManager(readCa(config.clientAuth().get().ca()));
            return new ServerTls(config, loaded, trust, info, error);
        } catch (IllegalArgumentException e) {
            throw new ServerIdentity.UnusableFile(false, e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
    }

    /** The CA certificates in {@code file}; throws IllegalArgumentException saying why they cannot be used. */
    public static List<X509Certificate> readCa(Path file) {
        try {
            return PemBundle.certificates(ServerIdentity.text(file, "a CA certificate"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client CA file " + file + ": " + e.getMessage());
        }
    }

    /** Starts watching the files; call once. */
    public ServerTls start() {
        poller = new Periodic("tls-files", POLL, this::check).start();
        return this;
    }

    public SSLContext context() {
        return context;
    }

    public TlsConfig config() {
        return config;
    }

    /** The pairs serving now, in the config's order. */
    public List<ServerIdentity> identities() {
        return identities.get().all();
    }

    /** Reads the files again and applies each change that can be used. Called by the poller; public for tests. */
    public synchronized void check() {
        List<ServerIdentity> now = new ArrayList<>(identities());
        boolean changed = false;
        for (int i = 0; i < config.certificates().size(); i++) {
            TlsConfig.CertificateFiles pair = config.certificates().get(i);
            List<Path> files = List.of(pair.cert(), pair.key());
            if (!changed(files)) continue;
            try {
                ServerIdentity renewed = ServerIdentity.read(pair.cert(), pair.key());
                now.set(i, renewed);
                changed = true;
                info.accept("TLS certificate " + pair.cert() + " reloaded: " + renewed.subject() + ", expires "
                        + renewed.notAfter());
            } catch (ServerIdentity.UnusableFile e) {
                failed(files, e.getMessage() + "; still serving the previous certificate (expires "
                        + now.get(i).notAfter() + ")");
            }
        }
        if (changed) identities.updateAndGet(current -> current.next(now));
        config.clientAuth().ifPresent(c -> {
            List<Path> files = List.of(c.ca());
            if (!changed(files)) return;
            try {
                clientTrust.use(trustManager(readCa(c.ca())));
                info.accept("client CA " + c.ca() + " reloaded");
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                failed(files, e.getMessage() + "; still trusting the previous client CA");
            }
        });
    }

    /**
     * True when the files hold something not tried yet. A failure is logged only when the next look finds the same
     * content: a renewal may be caught between writing the certificate and writing the key.
     */
    private boolean changed(List<Path> files) {
        Attempt last = attempts.get(files);
        List<byte[]> content = read(files);
        if (last.same(content)) {
            if (last.unlogged() != null) {
                error.accept(last.unlogged());
                attempts.put(files, new Attempt(content, null));
            }
            return false;
        }
        attempts.put(files, new Attempt(content, null));
        return true;
    }

    private void failed(List<Path> files, String message) {
        attempts.put(files, new Attempt(attempts.get(files).content(), message));
    }

    /** The files' bytes; a file that cannot be read now reads as empty (it is tried, and reported, on change). */
    private static List<byte[]> read(List<Path> files) {
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                out.add(Files.readAllBytes(f));
            } catch (IOException | OutOfMemoryError e) {
                out.add(new byte[0]);
            }
        }
        return out;
    }

    private static X509ExtendedTrustManager trustManager(List<X509Certificate> cas) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new GeneralSecurityException("the JDK made no X.509 trust manager");
    }

    @Override
    public void close() {
        if (poller != null) poller.close();
    }
}
