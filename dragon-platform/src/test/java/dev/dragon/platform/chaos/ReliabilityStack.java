package dev.dragon.platform.chaos;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link ChaosStack} shared by the reliability ITs of this module's failsafe run (starting eight JVMs once
 * instead of per class keeps {@code ./dragon test} short); closed when the test run ends. Tests that inject faults
 * leave every process running again.
 */
public final class ReliabilityStack implements ExtensionContext.Store.CloseableResource {

    private static ReliabilityStack shared;

    private final ChaosStack stack;
    private final String adminToken;

    private ReliabilityStack(ChaosStack stack, String adminToken) {
        this.stack = stack;
        this.adminToken = adminToken;
    }

    /** The running stack; the first caller starts it (and registers its closing with the test run). */
    public static synchronized ReliabilityStack get(ExtensionContext context) {
        if (shared == null) {
            String token = Chaos.randomToken();
            Path root = Path.of("").toAbsolutePath().getParent();
            var ports = Chaos.freePorts();
            ChaosStack s = ChaosStack.start(ports, root, root.resolve("dragon-platform/target/reliability-it-"
                    + ports.offset()), token, 600, System.out::println);
            shared = new ReliabilityStack(s, token);
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(ReliabilityStack.class.getName(), shared);
        }
        return shared;
    }

    /** Injects the shared stack into test and lifecycle methods: {@code @ExtendWith(ReliabilityStack.Resolver.class)}. */
    public static final class Resolver implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ReliabilityStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return get(context);
        }
    }

    public ChaosStack stack() {
        return stack;
    }

    public String adminToken() {
        return adminToken;
    }

    @Override
    public void close() {
        synchronized (ReliabilityStack.class) {
            stack.close();
            shared = null;
        }
    }
}
