package io.aquarium.fish.drivers.test;

import io.aquarium.fish.core.config.ConfigProblems;
import io.aquarium.fish.core.driver.DriverContext;
import io.aquarium.fish.core.driver.DriverFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/** Makes {@code test} driver instances; listed for {@link java.util.ServiceLoader}. */
public final class TestDriverFactory implements DriverFactory {
    public static final String NAME = "test";

    private final RandomGenerator random;
    private final Sleeper sleeper;

    /** What ServiceLoader uses: real randomness and real sleeps. */
    public TestDriverFactory() {
        this(new Random(), Sleeper.REAL);
    }

    /** For tests: a seeded generator makes failures and resource names reproducible. */
    public TestDriverFactory(RandomGenerator random, Sleeper sleeper) {
        this.random = Objects.requireNonNull(random, "random");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @throws io.aquarium.fish.core.driver.DriverException on a bad config or when a config fail knob fires */
    @Override
    public TestDriver create(String instanceName, Map<String, Object> config, DriverContext context) {
        TestDriverConfig cfg = TestDriverConfig.parse(config, context == null ? null : context.workDirectory());
        FailureDice dice = new FailureDice(random);
        dice.roll("config apply", cfg.failConfigApply());
        dice.roll("config validate", cfg.failConfigValidate());
        return new TestDriver(instanceName, cfg, dice, sleeper);
    }

    /** The cfg's values alone; the fail knobs are not rolled. */
    @Override
    public void check(String instanceName, Map<String, Object> config, DriverContext context, ConfigProblems problems) {
        TestDriverConfig.parse(config, context == null ? null : context.workDirectory(), problems);
    }
}
