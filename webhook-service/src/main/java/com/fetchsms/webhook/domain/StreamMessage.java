package com.fetchsms.webhook.domain;

/**
 * One message of an account stream: an event ({@code id}, {@code type}, {@code data}), or a comment line (the heartbeat),
 * or the reconnection delay ({@code retry}) the stream starts with.
 */
public record StreamMessage(Long id, String type, String data, String comment, Long retryMillis) {

    public static StreamMessage event(LoggedEvent event) {
        return new StreamMessage(event.seq(), event.type(), event.data(), null, null);
    }

    public static StreamMessage comment(String text) {
        return new StreamMessage(null, null, null, text, null);
    }

    public static StreamMessage retry(long millis, String comment) {
        return new StreamMessage(null, null, null, comment, millis);
    }
}
