package dev.gateway.auth;

/** Why a request was refused by a route's bearer-token gate, as a bounded metric label. */
public enum RejectReason {
    MISSING("missing"),
    MALFORMED("malformed"),
    UNSUPPORTED("unsupported"),
    UNKNOWN_KEY("unknown_key"),
    BAD_SIGNATURE("bad_signature"),
    EXPIRED("expired"),
    NOT_YET_VALID("not_yet_valid"),
    ISSUER("issuer"),
    AUDIENCE("audience"),
    FORBIDDEN("forbidden"),
    ERROR("error");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    /** The lower-case label, as in {@code gateway_jwt_rejections_total{reason="expired"}}. */
    public String label() {
        return label;
    }
}
