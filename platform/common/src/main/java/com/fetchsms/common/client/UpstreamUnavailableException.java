package com.fetchsms.common.client;

/** Another service could not be reached or failed; the outcome of the call is unknown. */
public class UpstreamUnavailableException extends RuntimeException {

    public UpstreamUnavailableException(String message) {
        super(message);
    }
}
