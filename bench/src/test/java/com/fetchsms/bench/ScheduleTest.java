package com.fetchsms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void requestIsDueAtStartPlusIndexOverRate() {
        Schedule schedule = new Schedule(1_000L, 200);
        assertEquals(1_000L, schedule.dueAt(0));
        assertEquals(1_000L + 5_000_000L, schedule.dueAt(1));
        assertEquals(1_000L + 60_000_000_000L, schedule.dueAt(12_000));
    }

    @Test
    void dueTimesDoNotDriftAtRatesThatAreNotWholeNanoseconds() {
        Schedule schedule = new Schedule(0, 3); // 333,333,333.3… ns apart
        assertEquals(333_333_333L, schedule.dueAt(1));
        assertEquals(1_000_000_000L, schedule.dueAt(3));
        assertEquals(1_000_000_000_000L, schedule.dueAt(3000));
    }

    @Test
    void countIsRateTimesSecondsAndAtLeastOne() {
        assertEquals(12_000, Schedule.count(200, 60));
        assertEquals(1_000, Schedule.count(500, 2));
        assertEquals(1, Schedule.count(0.1, 1));
    }

    @Test
    void spanOfARunIsCountOverRate() {
        assertEquals(10_000_000_000L, new Schedule(42, 50).span(500));
    }

    @Test
    void aRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, -1));
    }
}
