package com.fetchsms.webhook.domain;

/** An event as the account's log holds it: its id on the stream ({@code seq}), its type and its data. */
public record LoggedEvent(long seq, String type, String data) {
}
