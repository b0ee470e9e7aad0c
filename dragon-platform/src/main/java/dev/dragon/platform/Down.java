package dev.dragon.platform;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code ./dragon down [--port-offset N]}: asks a running {@code ./dragon up} to stop (SIGTERM) and waits. */
public final class Down {

    private Down() {
    }

    public static void main(String[] args) throws InterruptedException {
        int offset = args.length == 2 && args[0].equals("--port-offset") ? Integer.parseInt(args[1]) : 0;
        Up.PidFile pidFile = Up.PidFile.in(Path.of("").toAbsolutePath(), offset);
        Optional<ProcessHandle> up = pidFile.readPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (up.isEmpty()) {
            System.out.println("dragon down: nothing is running (no live pid in " + pidFile.path() + ")");
            pidFile.delete();
            return;
        }
        ProcessHandle p = up.get();
        System.out.println("dragon down: stopping the platform (pid " + p.pid() + ")");
        p.destroy();
        try {
            p.onExit().get(90, TimeUnit.SECONDS);
            System.out.println("dragon down: stopped");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("dragon down: pid " + p.pid() + " did not stop within 90 s; killing it");
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            System.exit(1);
        }
    }
}
