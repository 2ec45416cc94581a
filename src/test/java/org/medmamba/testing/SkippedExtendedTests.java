package org.medmamba.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints, once at the end of the run, how many tests were skipped because the shared corpus is
 * missing (registered in META-INF/services; surefire runs all test classes in one forked JVM).
 */
public class SkippedExtendedTests implements TestExecutionListener {
    // static: the launcher may instantiate the listener more than once
    private static final AtomicInteger skipped = new AtomicInteger();

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED && id.isTest()
                && result.getThrowable().map(t -> String.valueOf(t.getMessage()).contains(Shared.NOTICE)).orElse(false))
            skipped.incrementAndGet();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        int n = skipped.get();
        if (n > 0)
            System.out.println("medmamba: " + n + " extended tests skipped: " + Shared.dir() + " not found (set -D"
                    + Shared.PROPERTY + "=DIR to run them)");
    }
}
