package dev.dragon.platform.chaos;

import dev.dragon.platform.Platform;
import dev.dragon.platform.PlatformException;
import dev.dragon.platform.Ports;
import dev.dragon.platform.badinput.BadInputRun;
import dev.dragon.platform.badinput.BadInputTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./dragon chaos}: starts its own stack ({@link ChaosStack}) on free ports, runs the fault suite under a
 * steady streaming load and the bad-input suite, prints both tables and writes {@code results/chaos.json}.
 *
 * <pre>
 * Chaos [--streams 32] [--fault-seconds 20] [--settle-seconds 10] [--max-tokens 32]
 *       [--faults expert-kill,redis-stop,kafka-stop,learner-kill,router-kill] [--bad-input 10000] [--seed 42]
 *       [--port-offset N] [--out results/chaos.json]
 * </pre>
 * {@code --faults none} runs only the bad-input suite; {@code --bad-input 0} only the faults.
 */
public final class Chaos {

    private Chaos() {
    }

    /** Command-line options. */
    record Options(int streams, int faultSeconds, int settleSeconds, int maxTokens, List<String> faults, int badInput,
                   long seed, int portOffset, Path out) {

        static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>(Map.of("--streams", "32", "--fault-seconds", "20",
                    "--settle-seconds", "10", "--max-tokens", "32",
                    "--faults", "expert-kill,redis-stop,kafka-stop,learner-kill,router-kill",
                    "--bad-input", "10000", "--seed", "42", "--port-offset", "-1", "--out", "results/chaos.json"));
            for (int i = 0; i < args.length; i += 2) {
                if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                    throw new PlatformException("unknown option or missing value: '" + args[i] + "' (options: "
                            + String.join(", ", o.keySet()) + ")");
                }
                o.put(args[i], args[i + 1]);
            }
            String faults = o.get("--faults");
            List<String> known = Fault.all(0).stream().map(Fault::id).toList();
            for (String f : faults.split(",")) {
                if (!faults.equals("none") && !known.contains(f)) {
                    throw new PlatformException("unknown fault '" + f + "' (known: " + String.join(",", known) + ", or none)");
                }
            }
            try {
                return new Options(Integer.parseInt(o.get("--streams")), Integer.parseInt(o.get("--fault-seconds")),
                        Integer.parseInt(o.get("--settle-seconds")), Integer.parseInt(o.get("--max-tokens")),
                        faults.equals("none") ? List.of() : List.of(faults.split(",")),
                        Integer.parseInt(o.get("--bad-input")), Long.parseLong(o.get("--seed")),
                        Integer.parseInt(o.get("--port-offset")), Path.of(o.get("--out")));
            } catch (NumberFormatException e) {
                throw new PlatformException("a numeric option is not a number: " + e.getMessage());
            }
        }
    }

    public static void main(String[] args) {
        try {
            run(Options.parse(args));
            System.exit(0);
        } catch (PlatformException | IllegalArgumentException e) {
            System.err.println("dragon chaos: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(Options o) {
        Path root = Path.of("").toAbsolutePath();
        Ports ports = o.portOffset() >= 0 ? new Ports(o.portOffset()) : freePorts();
        Path runDir = root.resolve("run").resolve("chaos-" + ports.offset());
        System.out.println("dragon chaos: starting the stack on port offset " + ports.offset() + " (logs in "
                + runDir.resolve("logs") + ")");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine());
        ChaosStack started = ChaosStack.start(ports, root, runDir, randomToken(), 600, System.out::println);
        Thread hook = new Thread(started::close, "chaos-stop");   // Ctrl-C leaves no process behind
        Runtime.getRuntime().addShutdownHook(hook);
        try (ChaosStack stack = started) {
            String key = stack.admin().tenantWithKey("chaos", 1_000_000, 100_000_000);
            if (!o.faults().isEmpty()) {
                FaultSuite.Settings s = new FaultSuite.Settings(o.streams(), o.faultSeconds(), o.settleSeconds(),
                        o.maxTokens(), 4, o.faults(), 600, 60);
                FaultSuite.Report report = new FaultSuite(stack, s, System.out::println).run(key);
                System.out.println();
                System.out.println(ChaosTable.render(report));
                json.put("faults", report);
            }
            if (o.badInput() > 0) {
                System.out.println("dragon chaos: bad-input suite, " + o.badInput() + " requests, seed " + o.seed());
                BadInputRun.Report report = new BadInputRun(target(stack, key)).run(o.seed(), o.badInput(), 8, 100);
                System.out.println(BadInputTable.render(report));
                json.put("bad_input", report);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and closes the stack
            }
        }
        write(o.out(), json);
        System.out.println("dragon chaos: wrote " + o.out());
    }

    /** Where the bad-input suite sends, watches and measures on a chaos stack. */
    public static BadInputRun.Target target(ChaosStack stack, String key) {
        List<String> health = new ArrayList<>(List.of(stack.gatewayManagementBase() + "/actuator/health/readiness"));
        stack.routerBases().forEach(r -> health.add(r + "/actuator/health/readiness"));
        Map<String, String> services = new LinkedHashMap<>();
        services.put("gateway", stack.gatewayManagementBase());
        services.put("router-a", stack.base("router-a"));
        services.put("router-b", stack.base("router-b"));
        return new BadInputRun.Target(stack.gatewayBase(), key, health, services, stack.routerBases());
    }

    static Map<String, Object> machine() {
        return Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"));
    }

    /** A port offset at which every port of the stack, second replicas included, is free. */
    public static Ports freePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            Ports p = new Ports(ThreadLocalRandom.current().nextInt(100, 230) * 100);
            List<Integer> all = new ArrayList<>(p.all().values());
            all.addAll(ChaosStack.extraPorts(p));
            if (all.stream().allMatch(Platform.Prerequisites::isFree)) {
                return p;
            }
        }
        throw new PlatformException("no port offset with every port free");
    }

    public static String randomToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private static void write(Path out, Object json) {
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            Files.writeString(out, mapper.writeValueAsString(json));
        } catch (IOException e) {
            throw new PlatformException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
