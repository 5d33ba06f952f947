import { ValidationError } from '../errors.js';

/**
 * A parse error that quotes the whole source with a caret under the offending column, so a user
 * sees where a long potential went wrong without counting characters. `note` (e.g. the list of
 * known identifiers) goes on the line after the caret.
 */
export function sourceError(field: string, problem: string, source: string, column: number, note?: string): ValidationError {
  // Tabs and newlines would shift the caret; show them as spaces (one column each, like the index).
  const shown = source.replace(/[\t\n\r\v\f]/g, ' ');
  const col = Math.max(0, Math.min(column, shown.length));
  const tail = note ? `\n${note}` : '';
  return new ValidationError(field, `${problem}\n  ${shown}\n  ${' '.repeat(col)}^${tail}`);
}
