package com.fetchsms.dashboard.domain;

/** The body of signup and login. */
public record Credentials(String email, String password) {
}
