package org.sgdlab.report;

/**
 * The report's style sheet: system fonts, a measure that reads on a laptop, and print rules that
 * start each experiment on a new page and keep the verdict colours.
 */
final class Style {
    static final String CSS =
            """
            :root {
              --text: #1b1b1f;
              --muted: #5b5d66;
              --rule: #d9dbe1;
              --panel: #f6f7f9;
              --accent: #0a5c99;
              --holds: #11663a;
              --holds-bg: #e5f4ea;
              --fails: #a3261b;
              --fails-bg: #fbe9e7;
              --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
                "Noto Sans", "Liberation Sans", sans-serif;
              --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
                "DejaVu Sans Mono", monospace;
            }
            * { box-sizing: border-box; }
            html { -webkit-text-size-adjust: 100%; }
            body {
              margin: 0;
              background: #fff;
              color: var(--text);
              font-family: var(--sans);
              font-size: 16px;
              line-height: 1.55;
            }
            main { max-width: 68rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
            h1, h2, h3 { line-height: 1.25; margin: 0; }
            h1 { font-size: 2rem; letter-spacing: -0.01em; }
            h2 { font-size: 1.5rem; margin-bottom: 0.35rem; }
            h3 {
              font-size: 0.8rem;
              text-transform: uppercase;
              letter-spacing: 0.08em;
              color: var(--muted);
              margin: 1.9rem 0 0.6rem;
              padding-bottom: 0.25rem;
              border-bottom: 1px solid var(--rule);
            }
            p { margin: 0.4rem 0; }
            a { color: var(--accent); }
            code { font-family: var(--mono); font-size: 0.88em; overflow-wrap: anywhere; }
            .masthead {
              padding-bottom: 1rem;
              margin-bottom: 1.5rem;
              border-bottom: 3px solid var(--text);
            }
            .lede { font-size: 1.2rem; margin-top: 0.5rem; }
            .meta { color: var(--muted); font-size: 0.92rem; }
            .empty { color: var(--muted); font-style: italic; }
            .summary h2 { margin-bottom: 0.75rem; }
            .table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
            caption {
              caption-side: bottom;
              text-align: left;
              color: var(--muted);
              font-size: 0.85rem;
              padding-top: 0.4rem;
            }
            th, td { padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
            thead th {
              border-bottom: 2px solid var(--text);
              font-weight: 600;
              white-space: nowrap;
            }
            tbody td { border-bottom: 1px solid var(--rule); }
            .number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .number.wraps, .summary-table thead th { white-space: normal; }
            .number.wraps span, .nowrap { white-space: nowrap; }
            table.results { width: auto; min-width: 60%; font-size: 0.82rem; }
            table.results td, table.results th { padding: 0.25rem 0.5rem; }
            table.results tbody tr:nth-child(even) { background: var(--panel); }
            table.settings { width: auto; min-width: 50%; }
            .experiment {
              margin-top: 3.5rem;
              padding-top: 1.5rem;
              border-top: 3px solid var(--text);
            }
            .ordinal {
              display: inline-block;
              min-width: 1.8em;
              color: var(--muted);
              font-variant-numeric: tabular-nums;
            }
            .description { font-size: 1.08rem; }
            .claims, .notes { padding-left: 1.4rem; margin: 0.4rem 0; }
            .claims li, .notes li { margin: 0.25rem 0; }
            .verdicts { display: grid; gap: 0.75rem; }
            .verdict {
              display: grid;
              grid-template-columns: 10.5rem 1fr;
              gap: 1rem;
              align-items: start;
              padding: 0.9rem 1rem;
              border: 1px solid var(--rule);
              border-left-width: 6px;
              border-radius: 6px;
              break-inside: avoid;
            }
            .verdict.holds { border-left-color: var(--holds); }
            .verdict.fails {
              border-left-color: var(--fails);
              border-left-style: double;
              border-left-width: 7px;
            }
            .verdict .claim { font-weight: 600; margin: 0 0 0.4rem; }
            .verdict dl {
              display: grid;
              grid-template-columns: max-content 1fr;
              gap: 0.15rem 1rem;
              margin: 0;
              font-size: 0.92rem;
            }
            .verdict dt { color: var(--muted); }
            .verdict dd { margin: 0; }
            .figure { font-variant-numeric: tabular-nums; font-weight: 600; }
            .badge {
              display: inline-block;
              padding: 0.3rem 0.6rem;
              border-radius: 4px;
              border: 2px solid currentColor;
              font-size: 0.8rem;
              font-weight: 700;
              letter-spacing: 0.06em;
              white-space: nowrap;
              text-align: center;
              -webkit-print-color-adjust: exact;
              print-color-adjust: exact;
            }
            .badge.holds { color: #fff; background: var(--holds); border-color: var(--holds); }
            .badge.fails { color: var(--fails); background: var(--fails-bg); border-style: dashed; }
            .badge.none { color: var(--muted); background: var(--panel); }
            .verdict .badge { justify-self: stretch; }
            figure.plot { margin: 1rem 0 1.75rem; break-inside: avoid; }
            .chart {
              max-width: 54rem;
              border: 1px solid var(--rule);
              border-radius: 6px;
              background: #fff;
            }
            .chart svg { display: block; width: 100%; height: auto; }
            figcaption { margin-top: 0.45rem; font-size: 0.92rem; color: var(--muted); }
            figcaption .label { font-weight: 600; color: var(--text); margin-right: 0.35rem; }
            .provenance {
              display: grid;
              grid-template-columns: max-content 1fr;
              gap: 0.2rem 1.25rem;
              margin: 0.5rem 0 1rem;
              font-size: 0.92rem;
            }
            .provenance dt { color: var(--muted); }
            .provenance dd { margin: 0; overflow-wrap: anywhere; }
            @media (max-width: 640px) {
              main { padding: 1rem 0.9rem 3rem; }
              .verdict { grid-template-columns: 1fr; gap: 0.5rem; }
              th, td { padding: 0.35rem 0.4rem; }
              .summary-table .badge { white-space: normal; padding: 0.25rem 0.35rem; }
            }
            @media print {
              @page { margin: 16mm 14mm; }
              body { font-size: 10.5pt; line-height: 1.45; }
              main { max-width: none; padding: 0; }
              a { color: inherit; text-decoration: none; }
              .experiment { break-before: page; margin-top: 0; padding-top: 0; border-top: none; }
              .table-wrap { overflow: visible; }
              table.results { font-size: 8pt; }
              thead { display: table-header-group; }
              tr, .verdict, figure.plot, .provenance { break-inside: avoid; }
              h2, h3 { break-after: avoid; }
              .chart { max-width: 100%; border: none; }
            }
            """;

    private Style() {}
}
