package dev.gateway.websocket;

import java.io.IOException;

/**
 * The byte stream under one leg of a relayed socket: the upstream's TCP (or TLS) socket, or the client's connection
 * as Helidon hands it over after the upgrade. Reads come from one thread; writes are serialised by the caller.
 */
interface Wire {
    /** Exactly {@code n} bytes; {@link java.io.EOFException} when the stream ends first. */
    byte[] read(int n) throws IOException;

    /** Reads past {@code n} bytes without keeping them. */
    void skip(long n) throws IOException;

    /** Writes {@code head} then {@code body} (either may be empty) and flushes. */
    void write(byte[] head, byte[] body) throws IOException;

    /** After the closing handshake: waits a bounded time for the other end to close its side first. */
    default void awaitEnd() {
    }

    /** Drops the connection now; blocked reads and writes fail. */
    void cut();
}
