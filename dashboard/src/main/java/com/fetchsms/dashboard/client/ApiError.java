package com.fetchsms.dashboard.client;

import java.util.List;
import java.util.Locale;

/**
 * The public API refused a call: its status and its {@code {"detail": …}}, which the dashboard shows in plain words
 * next to the field it names. Also thrown, as 503, when the API could not be reached.
 */
public class ApiError extends RuntimeException {

    private final int status;
    private final String detail;

    public ApiError(int status, String detail) {
        super(status + " " + detail, null, false, false);
        this.status = status;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /**
     * The first of {@code fields} that the detail names (the API writes a field as {@code 'name'}), or {@code null}
     * when it names none of them: the message then belongs to the form as a whole.
     */
    public String field(List<String> fields) {
        String lower = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        for (String field : fields) {
            if (lower.contains("'" + field + "'")) {
                return field;
            }
        }
        return null;
    }
}
