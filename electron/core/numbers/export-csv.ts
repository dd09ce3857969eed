// The CSV written by numbers.export (a file on the core's side) and numbers.exportText (pages for a browser
// download): one header and one line format, so both give byte-identical files.
import type { ListRowRecord } from '../db/repos/number-lists-repo.ts';
import { csvCell } from '../../shared/csv.ts';

export const EXPORT_HEADER = 'line,raw,e164,verdict,reason,duplicate_of_line\n';

export function exportLine(r: ListRowRecord): string {
  // line, verdict and duplicate_of_line are numbers and fixed words; the other cells go through the one quoter.
  return [r.line, csvCell(r.raw), csvCell(r.e164), r.verdict, csvCell(r.reason), r.duplicate_of_line ?? ''].join(',') + '\n';
}
