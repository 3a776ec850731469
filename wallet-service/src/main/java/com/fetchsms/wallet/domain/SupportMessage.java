package com.fetchsms.wallet.domain;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One message of a support ticket, written by its customer or by an operator. */
@Schema(name = "SupportMessage", description = "One message of a support ticket")
public record SupportMessage(
        UUID id,
        @Schema(description = "customer (the ticket's customer) or operator (an administrator)", enumeration = {
                SupportMessage.CUSTOMER, SupportMessage.OPERATOR}) String author,
        @Schema(description = "The text, 1 to 5,000 characters; line breaks are kept") String body,
        Instant createdAt){

    public static final String CUSTOMER = "customer";
    public static final String OPERATOR = "operator";
}
