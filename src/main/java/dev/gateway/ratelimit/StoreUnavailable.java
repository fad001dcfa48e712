package dev.gateway.ratelimit;

/** The store could not answer in time; the caller lets the request through or refuses it as configured. */
public final class StoreUnavailable extends Exception {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
