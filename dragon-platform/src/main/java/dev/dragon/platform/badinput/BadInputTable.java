package dev.dragon.platform.badinput;

import java.util.Locale;

/** The bad-input suite's report as plain text. */
public final class BadInputTable {

    private BadInputTable() {
    }

    public static String render(BadInputRun.Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d malformed requests: %d answered with something other than a 4xx, %d 4xx "
                        + "bodies not an OpenAI error; health-check failures during the run: %d%n", r.sent(),
                r.not4xxCount(), r.badBodyCount(), r.healthFailures()));
        b.append("by category: ").append(r.byCategory()).append('\n');
        b.append("by status:   ").append(r.byStatus()).append('\n');
        b.append("not 4xx by category: ").append(r.not4xxByCategory()).append('\n');
        b.append("misbehaving clients: ").append(r.abusive()).append('\n');
        b.append(String.format(Locale.ROOT, "router slots (running + waiting) after: %.0f%n", r.slotsAfter()));
        r.before().forEach((svc, before) -> {
            BadInputRun.Resources after = r.after().get(svc);
            b.append(String.format(Locale.ROOT, "  %-9s threads %4.0f → %4.0f   direct memory %6.1f → %6.1f MiB%n", svc,
                    before.threads(), after.threads(), before.directBytes() / 1048576, after.directBytes() / 1048576));
        });
        r.not4xx().forEach(s -> b.append("  NOT 4xx: ").append(s).append('\n'));
        r.badBodies().forEach(s -> b.append("  BAD BODY: ").append(s).append('\n'));
        return b.toString();
    }
}
