package com.fetchsms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BrowserTest {

    /** The dashboard's sign-in form as it renders (header and footer left out). */
    private static final String SIGN_IN = """
            <form method="post" action="/app/signin" class="stack" novalidate>
              <input type="hidden" name="_csrf" value="Y3yozkPxYq0Y-PRZOBc5oQDP7ucxq_-XcIU9aQpoSzE">
              <input type="hidden" name="next" value="/app/verifications">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required value=""
                >
              <input id="password" name="password" type="password" autocomplete="current-password" required
                >
              <button type="submit">Sign in</button>
            </form>
            """;

    @Test
    void theFormsTokenIsTheHiddenCsrfField() {
        assertEquals("Y3yozkPxYq0Y-PRZOBc5oQDP7ucxq_-XcIU9aQpoSzE", Browser.hiddenField(SIGN_IN, "_csrf"));
        assertEquals("/app/verifications", Browser.hiddenField(SIGN_IN, "next"));
    }

    @Test
    void attributesInAnyOrderAndQuotingAndCharacterReferencesAreRead() {
        assertEquals("a&b\"c", Browser.hiddenField("<INPUT value='a&amp;b&quot;c' NAME=_csrf type=\"HIDDEN\"/>",
                "_csrf"));
        assertEquals("", Browser.hiddenField("<input type=\"hidden\" name=\"_csrf\">", "_csrf"));
    }

    @Test
    void aVisibleFieldOrAnotherNameIsNotTheToken() {
        assertNull(Browser.hiddenField("<input type=\"text\" name=\"_csrf\" value=\"typed\">", "_csrf"));
        assertNull(Browser.hiddenField("<input type=\"hidden\" name=\"_csrf_old\" value=\"x\">", "_csrf"));
        assertNull(Browser.hiddenField("<p>no form</p>", "_csrf"));
        // a value that merely contains name="_csrf" is not the attribute
        assertNull(Browser.hiddenField("<input type=\"hidden\" name=\"next\" value=\"name=_csrf\">", "_csrf"));
    }

    @Test
    void setCookieHeadersSetReplaceAndDeleteCookies() {
        Map<String, String> jar = new LinkedHashMap<>();
        Browser.update(jar, List.of("fs_csrf=4LZ4XRs9qlItbvP7nax9cMOpX1m_axUnv1aEWBx8TR8; Path=/app; HTTPOnly;"
                + " SameSite=Strict"));
        Browser.update(jar, List.of("fs_session=eyJ.a.b; Max-Age=43199; Expires=Tue, 08 Dec 2026 03:00:34 GMT;"
                + " Path=/app; HTTPOnly; SameSite=Lax", "fs_csrf=renewed; Path=/app; HTTPOnly; SameSite=Strict"));
        assertEquals(Map.of("fs_csrf", "renewed", "fs_session", "eyJ.a.b"), jar);
        assertEquals("fs_csrf=renewed; fs_session=eyJ.a.b", Browser.cookieHeader(jar));

        Browser.update(jar, List.of("fs_session=; Max-Age=0; Path=/app", "fs_csrf=\"quoted\"; Path=/app",
                "garbage without equals", "=nameless"));
        assertEquals(Map.of("fs_csrf", "quoted"), jar);
        Browser.update(jar, List.of("fs_csrf=gone; max-age=-1"));
        assertEquals(Map.of(), jar);
    }

    @Test
    void formFieldsAreUrlEncodedInOrder() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", "a+b/c=");
        fields.put("email", "bench-1@example.com");
        fields.put("password", "p & q");
        fields.put("next", "/app/");
        assertEquals("_csrf=a%2Bb%2Fc%3D&email=bench-1%40example.com&password=p+%26+q&next=%2Fapp%2F",
                Api.formBody(fields));
    }
}
