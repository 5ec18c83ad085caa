/**
 * CSV cells for spreadsheets: RFC 4180 quoting, and a leading apostrophe on cells that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) — contributions are typed by anyone.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: (string | number | null)[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
