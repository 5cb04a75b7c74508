package org.sgdlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Each schedule at chosen steps. */
class ScheduleTest {
    @Test
    void stepDecayMultipliesAtEachMilestone() {
        Schedule schedule = Schedule.stepDecay(1.0, new long[] {10, 20}, new double[] {0.1, 0.5});
        assertEquals(1.0, schedule.at(0));
        assertEquals(1.0, schedule.at(9));
        assertEquals(0.1, schedule.at(10), 1e-15);
        assertEquals(0.1, schedule.at(19), 1e-15);
        assertEquals(0.05, schedule.at(20), 1e-15);
        assertEquals(0.05, schedule.at(1_000_000), 1e-15);
    }

    @Test
    void dropIsOneMilestone() {
        Schedule schedule = Schedule.drop(0.4, 100, 0.01);
        assertEquals(0.4, schedule.at(99));
        assertEquals(0.004, schedule.at(100), 1e-15);
    }

    @Test
    void cosineStartsAtBaseReachesHalfwayAndEndsAtFloor() {
        Schedule schedule = Schedule.cosine(1.0, 0.0, 100);
        assertEquals(1.0, schedule.at(0), 1e-15);
        assertEquals(0.5, schedule.at(50), 1e-15);
        assertEquals((1 + Math.cos(Math.PI * 0.25)) / 2, schedule.at(25), 1e-15);
        assertEquals(0.0, schedule.at(100), 1e-15);
        assertEquals(0.0, schedule.at(500), 1e-15);
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        Schedule schedule = Schedule.warmup(Schedule.constant(0.8), 4);
        assertEquals(0.2, schedule.at(0), 1e-15);
        assertEquals(0.6, schedule.at(2), 1e-15);
        assertEquals(0.8, schedule.at(3), 1e-15);
        assertEquals(0.8, schedule.at(4), 1e-15);
    }

    @Test
    void untilSwitchesOffAndLinearRamps() {
        Schedule phase = Schedule.until(Schedule.constant(4.0), 50);
        assertEquals(4.0, phase.at(49));
        assertEquals(0.0, phase.at(50));
        Schedule ramp = Schedule.linear(4.0, 0.0, 8);
        assertEquals(4.0, ramp.at(0));
        assertEquals(1.0, ramp.at(6), 1e-15);
        assertEquals(0.0, ramp.at(9));
    }

    @Test
    void parsedSpecsMatchTheirConstructors() {
        assertEquals(0.01, Schedule.parse("drop:30:0.1", 0.1).at(30), 1e-15);
        assertEquals(0.025, Schedule.parse("step:10:0.5,20:0.5", 0.1).at(25), 1e-15);
        assertEquals(0.05, Schedule.parse("cosine:100", 0.1).at(50), 1e-15);
        var error =
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("exp:3", 0.1));
        assertEquals(
                "invalid schedule 'exp:3'; allowed: constant, drop:STEP:FACTOR,"
                        + " step:STEP:FACTOR[,STEP:FACTOR]..., cosine:TOTAL_STEPS",
                error.getMessage());
    }

    @Test
    void milestonesMustIncrease() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Schedule.stepDecay(1, new long[] {5, 5}, new double[] {0.1, 0.1}));
    }
}
