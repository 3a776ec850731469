package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Server-drawn SVG line charts and the health page's figures. */
class ChartsTest {

    @Test
    void pointsSpanTheBoxWithTheHighestValueAtTheTop() {
        assertEquals("0.0,100.0 150.0,52.0 300.0,4.0", Charts.chartPoints(List.of(0.0, 5.0, 10.0)));
    }

    @Test
    void aFlatZeroLineStaysAtTheBottomAndNoValuesDrawNothing() {
        assertEquals("0.0,100.0 300.0,100.0", Charts.chartPoints(List.of(0.0, 0.0)));
        assertEquals("", Charts.chartPoints(List.of()));
    }

    @Test
    void secondsAreShownInTheUnitPeopleRead() {
        assertEquals("850 ms", Charts.seconds(0.85));
        assertEquals("2.4 s", Charts.seconds(2.4));
        assertEquals("–", Charts.seconds(null));
        assertEquals("12", Charts.chartMax(List.of(3.0, 12.2)));
        assertEquals("0.5", Charts.chartMax(List.of(0.5)));
    }
}
