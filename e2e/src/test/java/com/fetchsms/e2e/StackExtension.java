package com.fetchsms.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the stack and sets up the {@link World} once for the whole run: both live in the root context's store, so
 * every test class shares them and JUnit closes them (stack stopped, databases dropped) when the run ends.
 */
public final class StackExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);
    private static volatile World world;
    /** A stack that could not start is not tried again by every following class. */
    private static volatile Throwable startFailure;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (startFailure != null) {
            throw new IllegalStateException("The stack did not start (see the first class that failed)", startFailure);
        }
        try {
            world = context.getRoot().getStore(NAMESPACE).computeIfAbsent(World.class,
                    key -> World.create(Stack.start()), World.class);
        } catch (RuntimeException | Error e) {
            startFailure = e;
            throw e;
        }
    }

    static World world() {
        if (world == null) {
            throw new IllegalStateException("The stack is not started: extend E2eTest");
        }
        return world;
    }
}
