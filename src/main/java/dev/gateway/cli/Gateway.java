package dev.gateway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gateway.config.ConfigError;
import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigLoader;
import dev.gateway.config.LoadedConfig;
import dev.gateway.observe.AccessLog;
import dev.gateway.config.AdminConfig;
import dev.gateway.observe.EventLog;
import dev.gateway.observe.Metrics;
import dev.gateway.runtime.AdminServer;
import dev.gateway.reload.ConfigWatcher;
import dev.gateway.reload.Reloader;
import dev.gateway.runtime.GatewayServer;
import dev.gateway.runtime.RuntimeSnapshot;
import dev.gateway.runtime.SnapshotFactory;
import dev.gateway.runtime.SnapshotHolder;
import dev.gateway.tls.CertificateGauges;
import dev.gateway.tls.ServerIdentity;
import dev.gateway.tls.ServerTls;

/**
 * A running gateway and the composition root: loads the file, builds the first snapshot, starts the listener
 * and the file watcher that hot-reloads. {@code serve} runs one; tests start one in-process.
 */
public final class Gateway implements AutoCloseable {
    /** How long a replaced snapshot may finish its requests before its dropped pools are closed anyway. */
    static final Duration RETIRE_GRACE = Duration.ofSeconds(60);
    /** How long start and reload wait for a new JWKS or Redis store to answer before serving without it. */
    static final Duration KEYS_WAIT = Duration.ofSeconds(5);

    private final LoadedConfig initial;
    private final GatewayServer server;
    private final AdminServer admin;
    private final ServerTls tls;
    private final AccessLog accessLog;
    private final ConfigWatcher watcher;
    private final EventLog events;
    private final int port;
    private final int adminPort;

    private Gateway(LoadedConfig initial, GatewayServer server, AdminServer admin, ServerTls tls, AccessLog accessLog,
                    ConfigWatcher watcher, EventLog events, int port, int adminPort) {
        this.tls = tls;
        this.accessLog = accessLog;
        this.initial = initial;
        this.server = server;
        this.admin = admin;
        this.watcher = watcher;
        this.events = events;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Loads {@code file} and starts serving it. {@code portOverride} replaces listen.port when not null (0 picks
     * a free port). Throws ConfigException when the file is invalid; nothing is started then.
     */
    public static Gateway start(Path file, Map<String, String> env, Integer portOverride, PrintStream accessOut,
                                PrintStream eventOut) throws ConfigException, IOException {
        EventLog events = new EventLog(eventOut);
        ConfigLoader loader = new ConfigLoader(env);
        LoadedConfig loaded = loader.load(file);
        for (ConfigError w : loaded.warnings()) events.warn(w.toString());
        Metrics metrics = new Metrics();
        ServerTls tls = null;
        if (loaded.config().listen().tls().isPresent()) {
            try {
                tls = ServerTls.load(loaded.config().listen().tls().get(), events::info, events::error);
            } catch (ServerIdentity.UnusableFile e) {
                // the loader has just read the same files: one changed in between
                throw new ConfigException(List.of(new ConfigError(loaded.locate("listen.tls"),
                        ConfigError.Severity.ERROR, "listen.tls", e.getMessage())));
            }
            metrics.addCollector(new CertificateGauges(tls));
        }
        SnapshotFactory factory = new SnapshotFactory(Clock.systemUTC(), events, metrics);
        RuntimeSnapshot first = factory.build(loaded, null);
        List<String> late = first.start(KEYS_WAIT);
        if (!late.isEmpty()) events.warn("serving before " + String.join(" and ", late) + " answered");
        SnapshotHolder holder = new SnapshotHolder(first, events);
        var listen = loaded.config().listen();
        if (portOverride != null) {
            listen = listen.withPort(portOverride);
        }
        AccessLog accessLog = new AccessLog(accessOut);
        GatewayServer server = new GatewayServer(listen, tls, holder, accessLog, events, metrics);
        metrics.addCollector(server.gauges());
        Reloader reloader = new Reloader(file, loader, factory, holder, events, RETIRE_GRACE, KEYS_WAIT, metrics);
        AdminServer admin = null;
        int adminPort = -1;
        if (loaded.config().admin().isPresent()) {
            AdminConfig adminConfig = loaded.config().admin().get();
            admin = new AdminServer(adminConfig, holder, server, metrics, reloader::last);
            adminPort = admin.start();
            events.info("admin listening on http://" + adminConfig.host() + ":" + adminPort
                    + " (/metrics, /ready, /admin/routes, /admin/upstreams, /admin/config, /admin/tls)");
        }
        int port;
        try {
            port = server.start();
        } catch (RuntimeException e) {
            if (admin != null) admin.stop();
            if (tls != null) tls.close();
            accessLog.close();
            throw e;
        }
        if (tls != null) tls.start();
        ConfigWatcher watcher = new ConfigWatcher(file, Duration.ofMillis(100), Duration.ofSeconds(1),
                reloader::reloadNow);
        events.info("gateway listening on " + listen.scheme() + "://" + listen.host() + ":" + port + " with " + file
                + " ("
                + loaded.config().routes().size() + " routes, " + loaded.config().upstreams().size()
                + " upstreams, sha256 " + loaded.sha256().substring(0, 8) + ")");
        return new Gateway(loaded, server, admin, tls, accessLog, watcher, events, port, adminPort);
    }

    public int port() {
        return port;
    }

    /** The admin listener's port; -1 when the file has no {@code admin} section. */
    public int adminPort() {
        return adminPort;
    }

    /** Drains and stops within the config's shutdown-grace. */
    @Override
    public void close() {
        Duration grace = initial.config().listen().shutdownGrace();
        events.info("draining: finishing in-flight requests for up to " + grace.toMillis() + "ms");
        watcher.close();
        server.shutdown(grace);
        if (tls != null) tls.close();
        if (admin != null) admin.stop(); // last, so /ready says draining while the listener drains
        accessLog.close();
        events.info("stopped");
    }
}
