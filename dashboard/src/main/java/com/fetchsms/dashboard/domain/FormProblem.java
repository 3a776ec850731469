package com.fetchsms.dashboard.domain;

/**
 * Why a form was not accepted, in plain words: {@code field} is the input it belongs to (shown next to it), or
 * {@code null} for the form as a whole.
 */
public record FormProblem(String field, String message) {

    public static final FormProblem NONE = new FormProblem(null, null);

    public boolean any() {
        return message != null;
    }

    /** The message when it belongs to {@code name}, else {@code null} (templates: {@code problem.on('email')}). */
    public String on(String name) {
        return name.equals(field) ? message : null;
    }

    /** The message when it belongs to no single field. */
    public String general() {
        return field == null ? message : null;
    }
}
