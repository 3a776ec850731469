package com.fetchsms.common.error;

/** The only error body the platform sends: {@code {"detail": "…"}}. */
public record ErrorBody(String detail) {
}
