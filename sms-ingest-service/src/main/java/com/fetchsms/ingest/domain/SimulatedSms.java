package com.fetchsms.ingest.domain;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What {@code POST /v1/sandbox/sms} accepted, and what the pipeline found in it: the message as published on
 * {@code sms.inbound} (or, for a duplicate, the earlier message it repeats, which was published then).
 */
@Schema(name = "SimulatedSms", description = "A simulated SMS as the pipeline took it: published as sms.inbound "
        + "(outcome accepted), or a copy of one published within the de-duplication window (outcome duplicate: id and "
        + "the fields are the earlier message's, nothing is published again)")
public record SimulatedSms(
        @Schema(description = "The message's id (sms.inbound message_id)") UUID id,
        @Schema(description = "accepted (published) or duplicate (the same text from the same sender to this number "
                + "within the de-duplication window, 10 minutes: not published again)", enumeration = {
                        IngestResult.ACCEPTED, IngestResult.DUPLICATE}) String outcome,
        boolean duplicate,
        @Schema(description = "The sandbox number, E.164", example = "+12015550123") String to,
        @Schema(description = "The sender", example = "Telegram") String from,
        String text,
        @Schema(description = "The catalog slug of the service detected, or null (then no verification takes the code)", example = "telegram") String detectedService,
        @Schema(description = "The name of the service detected, or null", example = "Telegram") String detectedServiceName,
        @Schema(description = "The code extracted, or null", example = "48291") String code,
        @Schema(description = "When the route accepted it: a verification takes only a code received after it was "
                + "created") Instant receivedAt){
}
