package org.softmax4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.softmax4j.bench.Shape;

/**
 * The chart of a benchmark: ns per element (log scale) against the batch shape, smaller batches
 * to the left, one line per backend (and thread count, where a backend was run with several),
 * one panel per operation and element type. Rendered headless to PNG bytes.
 */
final class BenchChart {

    private static final int WIDTH = 1000, HEIGHT = 560;
    /** Okabe–Ito (colour-blind-safe) without its yellow, then purple, brown and grey. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0x56B4E9), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xE69F00), new Color(0xCC79A7), new Color(0x000000), new Color(0x7B3294),
        new Color(0x8C510A), new Color(0x999999),
    };

    private BenchChart() {}

    /** The PNG of {@code results}, with {@code subtitle} (e.g. the machine) after each panel's title. */
    static byte[] png(List<BenchResult> results, String subtitle) throws IOException {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Map<String, List<BenchResult>> panels = new LinkedHashMap<>();
        for (String op : BenchResult.OPS) {
            for (String dtype : BenchResult.DTYPES) {
                List<BenchResult> rs = results.stream().filter(r -> r.op().equals(op) && r.dtype().equals(dtype)).toList();
                if (!rs.isEmpty()) panels.put(op + ", " + dtype, rs);
            }
        }
        List<String> labels = results.stream().sorted(BenchResult.DISPLAY_ORDER).map(r -> series(r, results))
                .distinct().toList();
        List<CategoryChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<BenchResult>> panel : panels.entrySet()) {
            String title = panel.getKey() + (subtitle.isEmpty() ? "" : " — " + subtitle);
            charts.add(chart(title, panel.getValue(), results, labels));
        }
        int cols = charts.size() > 1 ? 2 : 1;
        int rows = (charts.size() + cols - 1) / cols;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.get(0), out, BitmapEncoder.BitmapFormat.PNG);
        } else {
            // An odd number of panels: a blank one keeps the grid rectangular.
            if (rows * cols > charts.size()) charts.add(blank());
            BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return out.toByteArray();
    }

    /**
     * A series' name: the backend, its buffer kind if any, and its threads where that backend
     * appears with more than one thread count.
     */
    static String series(BenchResult r, List<BenchResult> all) {
        String base = r.backend() + (r.kind() != null ? " " + r.kind() : "");
        boolean threaded = all.stream().filter(o -> o.backend().equals(r.backend())).mapToInt(BenchResult::threads)
                .distinct().count() > 1;
        return threaded ? base + ", " + r.threads() + (r.threads() == 1 ? " thread" : " threads") : base;
    }

    private static CategoryChart chart(String title, List<BenchResult> rs, List<BenchResult> all, List<String> labels) {
        List<Shape> shapes = new ArrayList<>(new TreeSet<>(rs.stream().map(BenchResult::shape).toList()));
        List<String> categories = shapes.stream().map(s -> s.toString().replace('x', '×')).toList();
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("batch shape (rows × n), smaller batches first").yAxisTitle("ns per element (log scale)").build();
        CategoryStyler s = c.getStyler();
        s.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        s.setOverlapped(true); // series share each shape's x position
        s.setYAxisLogarithmic(true);
        // Whole decades at both ends, so that the decade labels always show.
        double min = rs.stream().mapToDouble(BenchResult::nsPerElement).min().orElse(1);
        double max = rs.stream().mapToDouble(BenchResult::nsPerElement).max().orElse(10);
        double lo = Math.pow(10, Math.floor(Math.log10(min))), hi = Math.pow(10, Math.ceil(Math.log10(max)));
        s.setYAxisMin(lo);
        s.setYAxisMax(hi > lo ? hi : lo * 10);
        s.setYAxisLogarithmicDecadeOnly(true);
        s.setYAxisDecimalPattern("0.###");
        // Beside the plot, one entry a line: a row under it overflows past six or so series.
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setLegendBorderColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        for (String label : labels) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (Shape shape : shapes) {
                Double y = null;
                for (BenchResult r : rs) {
                    if (r.shape().equals(shape) && series(r, all).equals(label)) y = r.nsPerElement();
                }
                any |= y != null;
                ys.add(y); // null: not measured, a gap in the line
            }
            if (!any) continue;
            CategorySeries line = c.addSeries(label, categories, ys);
            Color color = PALETTE[labels.indexOf(label) % PALETTE.length];
            line.setLineColor(color);
            line.setMarkerColor(color);
            line.setMarker(SeriesMarkers.CIRCLE);
            line.setLineStyle(new BasicStroke(2f));
        }
        return c;
    }

    private static CategoryChart blank() {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBorderVisible(false);
        c.getStyler().setAxisTicksVisible(false);
        c.getStyler().setPlotGridLinesVisible(false);
        c.getStyler().setLegendVisible(false);
        return c;
    }
}
