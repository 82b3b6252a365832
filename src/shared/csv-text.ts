/*
 * CSV as RFC 4180 writes it, for the exports operators open in a spreadsheet: fields separated by
 * commas, records by CRLF (§2.1), a field quoted when it holds a comma, a quote, CR or LF, its
 * quotes doubled (§2.6, §2.7). Twenty lines instead of a dependency: nothing here parses.
 *
 * Text from outside (an application's name, a route a developer described) may start with what a
 * spreadsheet takes for a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, or a tab or CR before one): such
 * a cell is written with a leading `'`, which spreadsheets show as text (OWASP, "CSV Injection").
 * Numbers are written as numbers, so a negative change stays a number.
 */

/** A cell: text (guarded against formulas), a number, or empty (null). */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function field(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The rows as CSV text, a header row first, each record ended by CRLF.
 * @example
 * csvText([['name', 'calls'], ['=cmd', 3]]) // "name,calls\r\n'=cmd,3\r\n"
 */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
