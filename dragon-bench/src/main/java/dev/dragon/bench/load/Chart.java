package dev.dragon.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** A grouped bar chart of decode tokens/s per concurrency and target, drawn with Java2D (headless). */
final class Chart {

    private static final Color[] COLORS = {new Color(0x3B6EA5), new Color(0xD9822B), new Color(0x5B9A57),
            new Color(0x9A4F9E)};

    private Chart() {
    }

    static void write(List<LoadRunner.Summary> rows, Path png) throws IOException {
        Map<String, Map<Integer, Double>> byTarget = new LinkedHashMap<>();
        rows.forEach(r -> byTarget.computeIfAbsent(r.target(), k -> new LinkedHashMap<>())
                .put(r.concurrency(), r.tokensPerSecond()));
        int[] levels = rows.stream().mapToInt(LoadRunner.Summary::concurrency).distinct().sorted().toArray();
        double max = rows.stream().mapToDouble(LoadRunner.Summary::tokensPerSecond).max().orElse(1);

        int w = 1000;
        int h = 480;
        int left = 70;
        int bottom = 60;
        int top = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Decode throughput (completion tokens/s) by concurrent streams", left, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotH = h - top - bottom;
        int plotW = w - left - 300;
        g.setStroke(new BasicStroke(1));
        for (int i = 0; i <= 4; i++) {
            int y = top + plotH - plotH * i / 4;
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", max * i / 4), 10, y + 4);
        }
        int groupW = plotW / Math.max(1, levels.length);
        int barW = Math.max(8, (groupW - 30) / Math.max(1, byTarget.size()));
        for (int li = 0; li < levels.length; li++) {
            int x0 = left + li * groupW + 15;
            int ti = 0;
            for (Map<Integer, Double> series : byTarget.values()) {
                Double v = series.get(levels[li]);
                if (v != null) {
                    int bh = (int) (plotH * v / max);
                    g.setColor(COLORS[ti % COLORS.length]);
                    g.fillRect(x0 + ti * barW, top + plotH - bh, barW - 2, bh);
                }
                ti++;
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(levels[li] + " stream" + (levels[li] == 1 ? "" : "s"), x0 + 4, top + plotH + 20);
        }
        int ti = 0;
        for (String target : byTarget.keySet()) {
            g.setColor(COLORS[ti % COLORS.length]);
            g.fillRect(left + plotW + 20, top + 20 * ti, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(target, left + plotW + 38, top + 11 + 20 * ti);
            ti++;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
