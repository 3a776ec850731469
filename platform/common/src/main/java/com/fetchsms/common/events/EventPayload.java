package com.fetchsms.common.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A payload of {@link EventType}; its key decides the partition, and so the order consumers see. */
public interface EventPayload {

    @JsonIgnore
    String key();
}
