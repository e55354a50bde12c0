/**
 * Result rows as CSV: the main fields flattened to one row each, safe to open
 * in a spreadsheet. Text cells that a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) get a leading
 * apostrophe, as OWASP advises for CSV injection; numbers are left as numbers.
 */
import type { ResultRow } from '../review/index.js'

/** The fixed columns, named by their JSON path in the output row. */
export const CSV_COLUMNS = [
  'id',
  'ok',
  'row',
  'product',
  'author',
  'date',
  'dayless',
  'rating',
  'language',
  'language.confidence',
  'sentiment.score',
  'sentiment.label',
  'sentiment.stars',
  'journey',
  'journey.sentiment',
  'authenticity.fakeScore',
  'authenticity.verdict',
  'authenticity.signals',
  'authenticity.reasons',
  'error.field',
  'error.code',
  'error.message',
] as const

/** First characters that make a spreadsheet read a cell as a formula (with their full-width forms). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'])
const NEEDS_QUOTES = /[",\n\r]|^\s|\s$/

/** A text cell made safe for spreadsheets: formulas neutralized, then quoted when needed. */
export function textCell(value: string): string {
  const safe = value.length > 0 && FORMULA_START.has(value[0]!) ? `'${value}` : value
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return textCell(value)
  return textCell(JSON.stringify(value))
}

/** The header line (without newline) for these kept input fields. */
export function csvHeader(keep: readonly string[]): string {
  return [...CSV_COLUMNS, ...keep.map((k) => `fields.${k}`)].map(textCell).join(',')
}

/** One output row as a CSV line (without newline). */
export function csvLine(row: ResultRow, keep: readonly string[]): string {
  const cells: string[] = [cell(row.id), cell(row.ok), cell(row.row)]
  if (row.ok) {
    const signals = row.authenticity.signals
    cells.push(
      cell(row.product),
      cell(row.author),
      cell(row.date),
      // true when the date names no day (then the 1st), empty otherwise, as the JSON row has the key only then.
      cell(row.dayless),
      cell(row.rating),
      cell(row.language.code),
      cell(row.language.confidence),
      cell(row.sentiment.score),
      cell(row.sentiment.label),
      cell(row.sentiment.stars),
      cell(row.journey.map((t) => t.stage).join(';')),
      cell(row.journey.map((t) => `${t.stage}:${t.sentiment.label}`).join(';')),
      cell(row.authenticity.fakeScore),
      cell(row.authenticity.verdict),
      cell(signals.map((s) => s.type).join(';')),
      cell(signals.map((s) => s.reason).join(' | ')),
      '',
      '',
      '',
    )
  } else {
    for (let i = 3; i < CSV_COLUMNS.length - 3; i++) cells.push('')
    cells.push(cell(row.error.field), cell(row.error.code), cell(row.error.message))
  }
  const fields = row.fields
  for (const k of keep) cells.push(cell(fields?.[k]))
  return cells.join(',')
}
