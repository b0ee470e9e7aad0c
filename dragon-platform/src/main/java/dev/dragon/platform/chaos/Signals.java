package dev.dragon.platform.chaos;

import dev.dragon.platform.PlatformException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** POSIX signals to one process the suite started, by pid ({@code kill -STOP|-CONT|-KILL <pid>}). */
public final class Signals {

    private Signals() {
    }

    /** SIGSTOP: the process stays, holds its sockets, and answers nothing. */
    public static void pause(long pid) {
        send("-STOP", pid);
    }

    /** SIGCONT. */
    public static void resume(long pid) {
        send("-CONT", pid);
    }

    /** SIGKILL, no goodbye; returns once the process is gone. */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
        });
    }

    private static void send(String signal, long pid) {
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return;                                          // already gone: nothing to stop or resume
        }
        try {
            Process p = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new PlatformException("kill " + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new PlatformException("kill " + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted sending " + signal + " to " + pid);
        }
    }
}
