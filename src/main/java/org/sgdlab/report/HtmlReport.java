package org.sgdlab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sgdlab.data.AtomicFiles;
import org.sgdlab.experiment.ExperimentResult;
import org.sgdlab.experiment.Plot;
import org.sgdlab.experiment.Verdict;

/**
 * The report: one self-contained HTML page, {@code index.html}, that shows experiments' claims,
 * verdicts, figures, observations, results and provenance.
 *
 * <p>The page loads nothing: its style sheet is inline, it uses the fonts of the reader's system,
 * and its figures are inline SVG drawn by {@link Charts}. It has no scripts. A summary table of
 * every verdict comes first, then one section per experiment, each starting on a new page when
 * printed. A verdict is shown as a badge with its word (HOLDS or DOES NOT HOLD) as well as its
 * colour, so it reads in greyscale. All text from results is escaped; numbers are shown to four
 * significant digits.
 */
public final class HtmlReport {
    /** The most rows, or groups of rows, an experiment's results table shows. */
    public static final int TABLE_ROWS = 40;

    private static final String FILE_NAME = "index.html";

    private HtmlReport() {}

    /**
     * Writes the report of the results into {@code directory/index.html}, whole or not at all.
     *
     * @param provenance one map per result, in the same order (an empty map where not recorded)
     * @return the file written
     */
    public static Path write(
            List<ExperimentResult> results, List<Map<String, Object>> provenance, Path directory)
            throws IOException {
        Path file = directory.resolve(FILE_NAME);
        AtomicFiles.writeString(file, html(results, provenance));
        return file;
    }

    /**
     * Reads each experiment directory with {@link ResultFiles#read} and writes the report of them
     * into {@code directory/index.html}.
     *
     * @return the file written
     */
    public static Path writeForDirectories(List<Path> experimentDirectories, Path directory)
            throws IOException {
        List<ExperimentResult> results = new ArrayList<>();
        List<Map<String, Object>> provenance = new ArrayList<>();
        for (Path experimentDirectory : experimentDirectories) {
            ResultFiles.Stored stored = ResultFiles.read(experimentDirectory);
            results.add(stored.result());
            provenance.add(stored.provenance());
        }
        return write(results, provenance, directory);
    }

    /**
     * The report's HTML text.
     *
     * @param provenance one map per result, in the same order (an empty map where not recorded)
     */
    public static String html(
            List<ExperimentResult> results, List<Map<String, Object>> provenance) {
        if (results.size() != provenance.size()) {
            throw new IllegalArgumentException(
                    "need one provenance record per result, got "
                            + results.size()
                            + " results and "
                            + provenance.size()
                            + " provenance records");
        }
        StringBuilder page = new StringBuilder(1 << 16);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width,"
                                + " initial-scale=1\">\n")
                .append("<title>sgdlab report</title>\n<style>\n")
                .append(Style.CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");

        masthead(page, results, provenance);
        summary(page, results);
        for (int i = 0; i < results.size(); i++) {
            experiment(page, i, results.get(i), provenance.get(i));
        }
        page.append("</main>\n</body>\n</html>\n");
        return page.toString();
    }

    private static void masthead(
            StringBuilder page,
            List<ExperimentResult> results,
            List<Map<String, Object>> provenance) {
        int verdicts = 0;
        int holding = 0;
        for (ExperimentResult result : results) {
            for (Verdict verdict : list(result.verdicts())) {
                verdicts++;
                holding += verdict.holds() ? 1 : 0;
            }
        }
        Set<String> profiles = new LinkedHashSet<>();
        results.forEach(result -> profiles.add(String.valueOf(result.profile())));
        Set<String> commits = new LinkedHashSet<>();
        provenance.forEach(record -> commits.add(Text.value(record.get("commit"))));

        page.append("<header class=\"masthead\">\n<h1>sgdlab report</h1>\n<p class=\"lede\">")
                .append(count(results.size(), "experiment", "experiments"))
                .append("; ")
                .append(holding)
                .append(" of ")
                .append(count(verdicts, "verdict holds", "verdicts hold"))
                .append(".</p>\n<p class=\"meta\">Profile ")
                .append(Text.escape(String.join(", ", profiles)))
                .append(" &middot; commit ")
                .append(
                        commits.size() == 1 && !commits.contains("")
                                ? "<code>" + Text.escape(commits.iterator().next()) + "</code>"
                                : "varies, see each experiment")
                .append("</p>\n</header>\n");
    }

    private static void summary(StringBuilder page, List<ExperimentResult> results) {
        page.append("<section class=\"summary\" aria-labelledby=\"summary-title\">\n")
                .append("<h2 id=\"summary-title\">Summary</h2>\n")
                .append("<div class=\"table-wrap\">\n<table class=\"summary-table\">\n")
                .append("<thead><tr><th scope=\"col\">Experiment</th><th scope=\"col\">Claim</th>")
                .append("<th scope=\"col\" class=\"number\">Value [95% interval]</th>")
                .append("<th scope=\"col\">Verdict</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < results.size(); i++) {
            ExperimentResult result = results.get(i);
            String link =
                    "<a href=\"#" + anchor(i, result) + "\">" + Text.escape(result.name()) + "</a>";
            List<Verdict> verdicts = list(result.verdicts());
            if (verdicts.isEmpty()) {
                page.append("<tr><td>")
                        .append(link)
                        .append("</td><td>")
                        .append(Text.escape(String.join(" ", list(result.claims()))))
                        .append("</td><td></td><td>")
                        .append(noVerdictBadge())
                        .append("</td></tr>\n");
            }
            for (Verdict verdict : verdicts) {
                page.append("<tr><td>")
                        .append(link)
                        .append("</td><td>")
                        .append(Text.escape(verdict.claim()))
                        .append("</td><td class=\"number wraps\"><span>")
                        .append(Text.escape(Text.number(verdict.value())))
                        .append("</span> <span>")
                        .append(Text.escape(interval(verdict)))
                        .append("</span></td><td>")
                        .append(badge(verdict.holds()))
                        .append("</td></tr>\n");
            }
        }
        page.append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void experiment(
            StringBuilder page, int index, ExperimentResult result, Map<String, Object> record) {
        int runs = list(result.rows()).size();
        page.append("<section class=\"experiment\" id=\"")
                .append(anchor(index, result))
                .append("\">\n<h2><span class=\"ordinal\">")
                .append(index + 1)
                .append("</span> ")
                .append(Text.escape(result.name()))
                .append("</h2>\n<p class=\"description\">")
                .append(Text.escape(result.description()))
                .append("</p>\n<p class=\"meta\">Profile ")
                .append(Text.escape(String.valueOf(result.profile())))
                .append(" &middot; ")
                .append(count(list(result.seeds()).size(), "seed", "seeds"))
                .append(" &middot; ")
                .append(count(runs, "run", "runs"))
                .append(" &middot; <span class=\"nowrap\">wall time ")
                .append(Text.escape(wallTime(result)))
                .append("</span></p>\n");

        claims(page, result);
        verdicts(page, result);
        figures(page, index, result);
        notes(page, result);
        results(page, result);
        provenance(page, result, record);
        page.append("</section>\n");
    }

    private static void claims(StringBuilder page, ExperimentResult result) {
        page.append("<h3>Claims</h3>\n");
        List<String> claims = list(result.claims());
        if (claims.isEmpty()) {
            page.append("<p class=\"empty\">The experiment states no claim.</p>\n");
            return;
        }
        page.append("<ol class=\"claims\">\n");
        claims.forEach(claim -> page.append("<li>").append(Text.escape(claim)).append("</li>\n"));
        page.append("</ol>\n");
    }

    private static void verdicts(StringBuilder page, ExperimentResult result) {
        page.append("<h3>Verdicts</h3>\n");
        List<Verdict> verdicts = list(result.verdicts());
        if (verdicts.isEmpty()) {
            page.append("<p class=\"empty\">No verdict was computed.</p>\n");
            return;
        }
        page.append("<div class=\"verdicts\">\n");
        for (Verdict verdict : verdicts) {
            page.append("<article class=\"verdict ")
                    .append(verdict.holds() ? "holds" : "fails")
                    .append("\">\n")
                    .append(badge(verdict.holds()))
                    .append("\n<div class=\"verdict-body\">\n<p class=\"claim\">")
                    .append(Text.escape(verdict.claim()))
                    .append("</p>\n<dl>\n");
            definition(page, "Statistic", Text.escape(verdict.statistic()));
            definition(
                    page,
                    "Value",
                    "<span class=\"figure\">"
                            + Text.escape(Text.number(verdict.value()))
                            + "</span>");
            definition(
                    page,
                    "95% interval",
                    "<span class=\"figure\">" + Text.escape(interval(verdict)) + "</span>");
            definition(page, "Criterion", Text.escape(verdict.criterion()));
            page.append("</dl>\n</div>\n</article>\n");
        }
        page.append("</div>\n");
    }

    private static void figures(StringBuilder page, int index, ExperimentResult result) {
        page.append("<h3>Figures</h3>\n");
        List<Plot> plots = list(result.plots());
        if (plots.isEmpty()) {
            page.append("<p class=\"empty\">The experiment draws no figure.</p>\n");
            return;
        }
        for (int p = 0; p < plots.size(); p++) {
            Plot plot = plots.get(p);
            page.append("<figure class=\"plot\">\n");
            String svg;
            try {
                svg = Charts.svgElement(plot, "e" + (index + 1) + "p" + (p + 1) + "_");
            } catch (IllegalArgumentException e) {
                svg = null;
                page.append("<p class=\"empty\">This figure could not be drawn: ")
                        .append(Text.escape(e.getMessage()))
                        .append("</p>\n");
            }
            if (svg != null) {
                page.append("<div class=\"chart\" role=\"img\" aria-label=\"")
                        .append(Text.escape(plot.title()))
                        .append("\">\n")
                        .append(svg)
                        .append("\n</div>\n");
            }
            page.append("<figcaption><span class=\"label\">Figure ")
                    .append(index + 1)
                    .append(".")
                    .append(p + 1)
                    .append("</span> ")
                    .append(Text.escape(plot.title()))
                    .append("</figcaption>\n</figure>\n");
        }
    }

    private static void notes(StringBuilder page, ExperimentResult result) {
        page.append("<h3>Observations</h3>\n");
        List<String> notes = list(result.notes());
        if (notes.isEmpty()) {
            page.append("<p class=\"empty\">The experiment recorded no observation.</p>\n");
            return;
        }
        page.append("<ul class=\"notes\">\n");
        notes.forEach(note -> page.append("<li>").append(Text.escape(note)).append("</li>\n"));
        page.append("</ul>\n");
    }

    private static void results(StringBuilder page, ExperimentResult result) {
        page.append("<h3>Results</h3>\n");
        List<Map<String, Object>> rows = list(result.rows());
        if (rows.isEmpty()) {
            page.append("<p class=\"empty\">No run was recorded.</p>\n");
            return;
        }
        ResultsTable table = ResultsTable.of(rows, list(result.seeds()).size(), TABLE_ROWS);
        page.append("<div class=\"table-wrap\">\n<table class=\"results\">\n<caption>")
                .append(Text.escape(table.caption()))
                .append("</caption>\n<thead><tr>");
        for (int c = 0; c < table.columns().size(); c++) {
            page.append("<th scope=\"col\"")
                    .append(table.numeric().get(c) ? " class=\"number\"" : "")
                    .append(">")
                    .append(Text.escape(table.columns().get(c)))
                    .append("</th>");
        }
        page.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            page.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                page.append(table.numeric().get(c) ? "<td class=\"number\">" : "<td>")
                        .append(Text.escape(row.get(c)))
                        .append("</td>");
            }
            page.append("</tr>\n");
        }
        page.append("</tbody>\n</table>\n</div>\n");
    }

    private static void provenance(
            StringBuilder page, ExperimentResult result, Map<String, Object> record) {
        page.append("<h3>Provenance</h3>\n<dl class=\"provenance\">\n");
        definition(page, "Commit", code(record.get("commit")));
        definition(page, "Seeds", Text.escape(seeds(list(result.seeds()))));
        definition(page, "Wall time", Text.escape(wallTime(result)));
        definition(page, "Created", known(record.get("created")));
        definition(page, "Java", known(join(record, "java_version", "java_vendor", "java_vm")));
        definition(page, "OpenBLAS", known(record.get("openblas")));
        definition(page, "Machine", known(machine(record)));
        definition(page, "sgdlab", known(record.get("sgdlab_version")));
        page.append("</dl>\n");

        Map<String, Object> settings = result.settings() == null ? Map.of() : result.settings();
        if (settings.isEmpty()) {
            page.append("<p class=\"empty\">No settings were recorded.</p>\n");
            return;
        }
        page.append("<div class=\"table-wrap\">\n<table class=\"settings\">\n")
                .append("<caption>Settings after overrides.</caption>\n")
                .append("<thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">Value</th>")
                .append("</tr></thead>\n<tbody>\n");
        settings.forEach(
                (key, value) ->
                        page.append("<tr><td><code>")
                                .append(Text.escape(key))
                                .append("</code></td><td>")
                                .append(Text.escape(Text.value(value)))
                                .append("</td></tr>\n"));
        page.append("</tbody>\n</table>\n</div>\n");
    }

    private static void definition(StringBuilder page, String term, String html) {
        page.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>\n");
    }

    private static String badge(boolean holds) {
        return holds
                ? "<span class=\"badge holds\"><span aria-hidden=\"true\">&#10003; </span>"
                        + "HOLDS</span>"
                : "<span class=\"badge fails\"><span aria-hidden=\"true\">&#10007; </span>"
                        + "DOES NOT HOLD</span>";
    }

    private static String noVerdictBadge() {
        return "<span class=\"badge none\">NO VERDICT</span>";
    }

    private static String interval(Verdict verdict) {
        return "[" + Text.number(verdict.ciLow()) + ", " + Text.number(verdict.ciHigh()) + "]";
    }

    /** The identifier of an experiment's section: its place, then its name in safe characters. */
    private static String anchor(int index, ExperimentResult result) {
        return "e"
                + (index + 1)
                + "-"
                + String.valueOf(result.name()).replaceAll("[^A-Za-z0-9_-]", "-");
    }

    private static String seeds(List<Long> seeds) {
        if (seeds.isEmpty()) {
            return "not recorded";
        }
        boolean consecutive = true;
        for (int i = 1; i < seeds.size(); i++) {
            consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        }
        if (consecutive && seeds.size() > 3) {
            return seeds.get(0) + " to " + seeds.get(seeds.size() - 1) + " (" + seeds.size() + ")";
        }
        return Text.value(seeds);
    }

    private static String machine(Map<String, Object> record) {
        List<String> parts = new ArrayList<>();
        if (record.get("os") != null) {
            parts.add(Text.value(record.get("os")));
        }
        if (record.get("arch") != null) {
            parts.add(Text.value(record.get("arch")));
        }
        if (record.get("cores") != null) {
            parts.add(Text.value(record.get("cores")) + " cores");
        }
        if (record.get("max_heap_mib") != null) {
            parts.add(Text.value(record.get("max_heap_mib")) + " MiB heap");
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String join(Map<String, Object> record, String... keys) {
        List<String> parts = new ArrayList<>();
        for (String key : keys) {
            if (record.get(key) != null) {
                parts.add(Text.value(record.get(key)));
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String known(Object value) {
        String text = Text.value(value);
        return text.isEmpty() ? "<span class=\"empty\">not recorded</span>" : Text.escape(text);
    }

    private static String code(Object value) {
        String text = Text.value(value);
        return text.isEmpty()
                ? "<span class=\"empty\">not recorded</span>"
                : "<code>" + Text.escape(text) + "</code>";
    }

    /**
     * The sweep's wall time, and how many of its runs were read back from an earlier sweep, whose
     * time it does not include.
     */
    private static String wallTime(ExperimentResult result) {
        String time = Text.duration(result.wallSeconds());
        if (result.runsReadBack() == 0) {
            return time;
        }
        return time
                + ", "
                + result.runsReadBack()
                + " of "
                + count(list(result.rows()).size(), "run", "runs")
                + " read back from an earlier sweep";
    }

    private static String count(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
