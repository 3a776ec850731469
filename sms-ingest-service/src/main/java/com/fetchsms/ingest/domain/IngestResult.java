package com.fetchsms.ingest.domain;

import java.util.UUID;

/**
 * What became of one reported SMS: {@code accepted} (published as {@code sms.inbound}; {@code id} is the message),
 * {@code duplicate} ({@code id} is the earlier message or part), {@code partial} (a part stored until its siblings
 * arrive; {@code id} is the part). Rejections are errors, not results.
 */
public record IngestResult(UUID id, boolean duplicate, String outcome) {

    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String PARTIAL = "partial";

    public static IngestResult accepted(UUID id) {
        return new IngestResult(id, false, ACCEPTED);
    }

    public static IngestResult duplicate(UUID id) {
        return new IngestResult(id, true, DUPLICATE);
    }

    public static IngestResult partial(UUID id) {
        return new IngestResult(id, false, PARTIAL);
    }
}
