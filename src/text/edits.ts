/**
 * Length-changing rewrites of a string that remember where every character came
 * from, so evidence found in the normalized text can be cut from the original.
 */

/** One replacement of `[start, end)` of the current string by `text`. */
export interface Edit {
  start: number
  end: number
  text: string
}

/**
 * For each character i of a rewritten string, the original range it came from:
 * `[start[i], end[i])`. A character of a replacement covers all it replaced.
 */
export interface OffsetMap {
  start: Int32Array
  end: Int32Array
}

export interface Mapped {
  text: string
  origin: OffsetMap | null
}

function identity(length: number): OffsetMap {
  const start = new Int32Array(length)
  const end = new Int32Array(length)
  for (let i = 0; i < length; i++) {
    start[i] = i
    end[i] = i + 1
  }
  return { start, end }
}

/** Apply sorted, non-overlapping edits, composing the offset map. */
export function applyEdits(input: Mapped, edits: Edit[]): Mapped {
  if (edits.length === 0) return input
  const source = input.text
  const from = input.origin ?? identity(source.length)
  let length = source.length
  for (const edit of edits) length += edit.text.length - (edit.end - edit.start)
  const start = new Int32Array(length)
  const end = new Int32Array(length)
  const parts: string[] = []
  let read = 0
  let write = 0
  const keep = (to: number) => {
    for (let i = read; i < to; i++, write++) {
      start[write] = from.start[i]!
      end[write] = from.end[i]!
    }
  }
  for (const edit of edits) {
    keep(edit.start)
    parts.push(source.slice(read, edit.start), edit.text)
    const s = from.start[edit.start]!
    const e = from.end[edit.end - 1]!
    for (let i = 0; i < edit.text.length; i++, write++) {
      start[write] = s
      end[write] = e
    }
    read = edit.end
  }
  keep(source.length)
  parts.push(source.slice(read))
  return { text: parts.join(''), origin: { start, end } }
}

/** Collect the edits a global regex's matches would make. */
export function editsFor(
  text: string,
  pattern: RegExp,
  replace: (match: RegExpExecArray) => string | null,
): Edit[] {
  const edits: Edit[] = []
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++
      continue
    }
    const replacement = replace(m)
    if (replacement !== null && replacement !== m[0]) {
      edits.push({ start: m.index, end: m.index + m[0].length, text: replacement })
    }
  }
  return edits
}
