package io.respin.perf.report;

import io.respin.perf.client.ClientCatalog;
import io.respin.perf.measure.RunResult;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots drawn with XChart:
 *
 * <ul>
 *   <li>{@code latency-<workload>.png}: latency by percentile, every client on one chart. The x axis is
 *       {@code 1/(1-p)} on a log scale, so 90%, 99%, 99.9%, 99.99% are equally spaced and the tail is as visible
 *       as the median. {@code redis-benchmark}, which reports only p50 and p99, is drawn as two markers.</li>
 *   <li>{@code throughput.png}: one bar chart of ops/s per workload, in a grid (each with its own scale).</li>
 * </ul>
 * Each image is headed by the run's caption — date, machine, commit and run length — so that a plot copied on its
 * own still says where its numbers come from.
 *
 * <pre>{@code
 * List<Path> written = Plots.write(dir, results, "2026-05-12 14:03 | 2 cores, AMD EPYC | commit eb950fc | ...");
 * }</pre>
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final Color[] PALETTE = {
        new Color(0x1f4e9c), new Color(0x3b82f6), new Color(0x93c5fd),   // respin async, sync, sync-vt
        new Color(0x16a34a), new Color(0x86efac),                         // lettuce async, sync
        new Color(0xdc2626), new Color(0xf59e0b),                         // jedis pooled, pipelined
        new Color(0x6b7280),                                              // redis-benchmark
        new Color(0x9333ea), new Color(0xec4899)};

    static {
        // charts are rendered off-screen; this must hold before the first AWT class loads
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    private static final int CAPTION_HEIGHT = 26;

    /** Writes every plot, each headed by {@code caption}; returns the files written. */
    public static List<Path> write(Path dir, List<RunResult> results, String caption) throws IOException {
        Map<String, List<RunResult>> byWorkload = new LinkedHashMap<>();
        for (RunResult r : results) {
            byWorkload.computeIfAbsent(r.workload(), w -> new ArrayList<>()).add(r);
        }
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> e : byWorkload.entrySet()) {
            XYChart chart = latencyChart(e.getKey(), e.getValue());
            if (chart != null) {
                Path file = dir.resolve("latency-" + e.getKey() + ".png");
                if (drawWithin(file, () -> ImageIO.write(captioned(BitmapEncoder.getBufferedImage(chart), caption),
                        "png", file.toFile()))) {
                    files.add(file);
                }
            }
        }
        List<CategoryChart> bars = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> e : byWorkload.entrySet()) {
            bars.add(throughputChart(e.getKey(), e.getValue()));
        }
        if (!bars.isEmpty()) {
            int cols = Math.min(3, bars.size());
            int rows = (bars.size() + cols - 1) / cols;
            Path file = dir.resolve("throughput.png");
            if (drawWithin(file, () -> ImageIO.write(captioned(grid(bars, rows, cols), caption), "png",
                    file.toFile()))) {
                files.add(file);
            }
        }
        return files;
    }

    /** Drawing one plot: a file written, or an exception. */
    private interface Drawing {
        void draw() throws IOException;
    }

    /**
     * Draws on a daemon thread and gives up after {@link #DRAW_SECONDS}: XChart 3.8.8 was once seen spinning
     * forever in its axis-tick layout (AxisTickCalculator_) on a seed-workload chart, which hung the harness after
     * every number had been measured. A plot is an extra; the results files are already written by then.
     */
    private static boolean drawWithin(Path file, Drawing drawing) throws IOException {
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            drawing.draw();
            return null;
        });
        Thread t = Thread.ofPlatform().daemon().name("respin-perf-plot").start(task);
        try {
            task.get(DRAW_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("plot " + file.getFileName() + " skipped: XChart did not finish drawing it within "
                    + DRAW_SECONDS + " s (the numbers are in results.csv)");
            t.interrupt();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while drawing " + file, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("drawing " + file + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static final int DRAW_SECONDS = 30;

    /** {@code image} under a strip that holds {@code caption} (XChart titles have one line, taken by the chart's). */
    static BufferedImage captioned(BufferedImage image, String caption) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight() + CAPTION_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.DARK_GRAY);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            // shrink a long caption to the width rather than cut it
            int width = g.getFontMetrics(font).stringWidth(caption);
            if (width > out.getWidth() - 16) {
                font = font.deriveFont(13f * (out.getWidth() - 16) / width);
            }
            g.setFont(font);
            g.drawString(caption, 8, CAPTION_HEIGHT - 8);
            g.drawImage(image, 0, CAPTION_HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Lays charts out in a grid (XChart's own grid needs rows x cols charts exactly; a last row may be short here).
     */
    private static BufferedImage grid(List<CategoryChart> charts, int rows, int cols) {
        int w = charts.getFirst().getWidth();
        int h = charts.getFirst().getHeight();
        BufferedImage image = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * w, (i / cols) * h, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The latency-by-percentile chart of one workload, or null when no client recorded latencies. */
    static XYChart latencyChart(String workload, List<RunResult> results) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(workload + ": latency by percentile")
                .xAxisTitle("percentile").yAxisTitle("latency (us, log)").build();
        Styler styler = chart.getStyler();
        // x is log10(1/(1-p)) on a linear axis, labelled as percentiles: XChart ignores a log axis once ticks are
        // custom-labelled, so the logarithm is taken here
        chart.getStyler().setYAxisLogarithmic(true).setYAxisDecimalPattern("#,##0.#")
                .setxAxisTickLabelsFormattingFunction(Plots::percentileLabel).setXAxisMin(0.0);
        styler.setLegendPosition(Styler.LegendPosition.InsideNW).setChartTitleFont(new Font(Font.SANS_SERIF,
                Font.BOLD, 16)).setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13)).setAntiAlias(true);
        int series = 0;
        for (RunResult r : results) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            if (r.histogram() != null && r.histogram().getTotalCount() > 0) {
                percentiles(r.histogram(), x, y);
                XYSeries s = chart.addSeries(r.client(), x, y);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(color(r.client()));
                series++;
            } else if (!Double.isNaN(r.latency().p50())) {
                x.add(Math.log10(2.0));
                y.add(Math.max(r.latency().p50(), 0.001));
                x.add(2.0);
                y.add(Math.max(r.latency().p99(), 0.001));
                XYSeries s = chart.addSeries(r.client() + " (p50, p99)", x, y);
                s.setMarkerColor(color(r.client()));
                s.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
                series++;
            }
        }
        return series == 0 ? null : chart;
    }

    /** A client's colour, the same on every chart (by its place in the catalog; respin's are the blues). */
    static Color color(String client) {
        int i = ClientCatalog.names().indexOf(client);
        return PALETTE[Math.floorMod(i >= 0 ? i : client.hashCode(), PALETTE.length)];
    }

    /** Fills x = log10(1/(1-p)) and y = latency in µs from a histogram of nanoseconds. */
    static void percentiles(AbstractHistogram histogram, List<Double> x, List<Double> y) {
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100.0) {
                break; // 1/(1-1) is infinite; the max is the last finite point's value or close to it
            }
            x.add(Math.log10(100.0 / (100.0 - p)));
            y.add(Math.max(v.getValueIteratedTo() / 1000.0, 0.001));
        }
    }

    /** 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%" …; ticks between whole decades stay unlabelled. */
    static String percentileLabel(double x) {
        double p = 100.0 * (1.0 - Math.pow(10, -x));
        if (!Double.isFinite(p) || p < 0 || Math.abs(x - Math.rint(x)) > 1e-6) {
            return " "; // XChart cannot lay out an empty label
        }
        return new BigDecimal(p).round(new MathContext(6)).stripTrailingZeros().toPlainString() + "%";
    }

    /**
     * One workload's throughput: a bar per client, each client a series of its own so that its colour and legend
     * entry name it (rotated axis labels under a row of bars are easy to misread).
     */
    private static CategoryChart throughputChart(String workload, List<RunResult> results) {
        CategoryChart chart = new CategoryChartBuilder().width(560).height(340).title(workload)
                .yAxisTitle("ops/s").build();
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setXAxisTicksVisible(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setAvailableSpaceFill(0.9);
        for (RunResult r : results) {
            chart.addSeries(r.client(), List.of(workload), List.of(r.opsPerSecond())).setFillColor(color(r.client()));
        }
        return chart;
    }
}
