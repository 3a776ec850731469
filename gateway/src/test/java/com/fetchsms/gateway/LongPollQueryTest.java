package com.fetchsms.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which queries take the long-lived pool ({@link Gateway#longPoll}): a {@code wait} other than empty or 0. */
class LongPollQueryTest {

    @Test
    void aWaitOtherThanZeroIsALongPoll() {
        assertTrue(Gateway.longPoll("wait=25"));
        assertTrue(Gateway.longPoll("limit=5&wait=60"));
        assertTrue(Gateway.longPoll("wait=abc")); // the service refuses it with 422; it is routed as a long poll
    }

    @Test
    void noWaitAnEmptyOneOrZeroIsAShortRequest() {
        assertFalse(Gateway.longPoll(null));
        assertFalse(Gateway.longPoll(""));
        assertFalse(Gateway.longPoll("wait=0"));
        assertFalse(Gateway.longPoll("wait="));
        assertFalse(Gateway.longPoll("await=5"));
        assertFalse(Gateway.longPoll("limit=5"));
    }

    @Test
    void aMalformedQueryIsReadWithoutDecodingIt() {
        assertTrue(Gateway.longPoll("x=%zz&wait=5"));
        assertFalse(Gateway.longPoll("wait=0&x=%"));
    }
}
