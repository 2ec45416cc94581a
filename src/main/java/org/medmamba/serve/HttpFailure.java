package org.medmamba.serve;

/** A request that ends with a 4xx/503: the status and a one-line reason for the client (never patient data). */
final class HttpFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpFailure(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }
}
