package dev.gateway.tls;

import java.util.List;

/**
 * The server identities in use, in the order the config lists them (the first is the default), and the one before
 * each renewal, so that a handshake which chose an alias just before a swap still finds its pair. Immutable.
 */
record Identities(List<ServerIdentity> all, long generation, Identities previous) {
    Identities {
        all = List.copyOf(all);
    }

    /** A new generation with {@code all} in use; this one is kept (without its own previous) for late lookups. */
    Identities next(List<ServerIdentity> all) {
        return new Identities(all, generation + 1, new Identities(this.all, generation, null));
    }

    String alias(ServerIdentity id) {
        return generation + ":" + all.indexOf(id);
    }

    ServerIdentity byAlias(String alias) {
        if (alias == null) return null;
        int colon = alias.indexOf(':');
        if (colon < 0) return null;
        long gen;
        int index;
        try {
            gen = Long.parseLong(alias, 0, colon, 10);
            index = Integer.parseInt(alias, colon + 1, alias.length(), 10);
        } catch (NumberFormatException e) {
            return null;
        }
        Identities in = gen == generation ? this : previous != null && previous.generation == gen ? previous : null;
        return in == null || index < 0 || index >= in.all.size() ? null : in.all.get(index);
    }
}
