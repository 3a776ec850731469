package com.fetchsms.dashboard.domain;

/**
 * What every page's frame shows: its title, which navigation entry is current, the signed-in account (or
 * {@code null}) and the CSRF token its forms carry.
 */
public record Page(String title, String nav, Account account, String csrf) {

    public boolean signedIn() {
        return account != null;
    }

    /** Whether this is one of the operators' pages (whose navigation entries are {@code admin-<section>}). */
    public boolean operators() {
        return nav != null && nav.startsWith("admin-");
    }

    public boolean admin() {
        return account != null && account.admin();
    }
}
