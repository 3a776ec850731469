package com.fetchsms.ingest.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.TypeHint;

/**
 * {@code POST /v1/sandbox/sms} body: a simulated SMS to a sandbox number. A missing {@code to} or {@code text}, a field
 * of the wrong JSON type, a control character ({@code text} may hold tab and line breaks) or a lone UTF-16 surrogate
 * is a 400 naming the field; a {@code to} that is no US number or no sandbox number, an over-long {@code from} or
 * {@code text} a 422 naming it.
 */
@Schema(name = "SandboxSms", description = "A simulated SMS to a sandbox number (test keys only)")
@TypeHint("a message object {to, text, from?}")
public record SandboxSmsRequest(
        @Schema(description = "The receiving sandbox number (the one a test key's verification or rental was given), "
                + "any common US spelling", required = true, example = "+12015550123") @Required @CleanText @TypeHint("a string") String to,

        @Schema(description = "The text, as the carrier would deliver it (at most 5000 characters)", required = true, example = "Your Telegram code: 48291. Do not give this code to anyone") @Required(allowBlank = true) @CleanText(multiLine = true) @TypeHint("a string") String text,

        @Schema(description = "The sender: a number, a short code or an alphanumeric id (at most 64 characters); "
                + "\"Sandbox\" when absent (fetchsms.ingest.sandbox.default-sender)", example = "Telegram") @CleanText @TypeHint("a string") String from) {
}
