package com.fetchsms.ingest.domain;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /v1/admin/gateways/{id}/messages}: one SMS a gateway reported (its raw report) and what the pipeline made
 * of it. Never the text nor the code: operators see whether detection worked, not the customers' codes.
 */
@Schema(name = "GatewayMessage", description = "One SMS a modem gateway reported, with what the pipeline made of it "
        + "(never its text nor its code)")
public record GatewayMessage(
        @Schema(description = "The report's id: the cursor (before) of the next page") UUID id,
        @Schema(description = "The receiving number, E.164", example = "+13325550184") String to,
        @Schema(description = "The receiving number as people write it", example = "(332) 555-0184") String toDisplay,
        @Schema(description = "The sender, as reported", example = "Telegram") String from,
        @Schema(description = "When the carrier delivered it to the gateway (the gateway's time; the time of ingestion "
                + "when it gave none or one too far ahead)") Instant receivedAt,
        @Schema(description = "The catalog slug of the service detected in the message, or null: none detected, or no "
                + "message (a part still waiting for its siblings, an incomplete or rejected report)", nullable = true, example = "telegram") String detectedService,
        @Schema(description = "Whether a code was found in the message (the code itself is never shown)") boolean codeFound,
        @Schema(description = "Whether the report repeated a message already reported (outcome duplicate)") boolean duplicate,
        @Schema(description = "accepted (published), duplicate (a copy of an earlier message), partial (a part of a "
                + "concatenated SMS waiting for its siblings), incomplete (a part whose siblings never came), rejected "
                + "(a number the gateway does not serve)", enumeration = {
                        IngestResult.ACCEPTED,
                        IngestResult.DUPLICATE, IngestResult.PARTIAL, "incomplete", "rejected"}) String outcome){
}
