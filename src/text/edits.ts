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

export interface Mapped {
  text: string
  /** origin[i] = offset in the original of clean offset i; length text.length + 1. */
  origin: Int32Array | null
}

function identity(length: number): Int32Array {
  const origin = new Int32Array(length + 1)
  for (let i = 0; i <= length; i++) origin[i] = i
  return origin
}

/**
 * Apply sorted, non-overlapping edits. Characters inside a replacement map to
 * the start of what they replaced; the position after it maps to its end.
 */
export function applyEdits(input: Mapped, edits: Edit[]): Mapped {
  if (edits.length === 0) return input
  const source = input.text
  const from = input.origin ?? identity(source.length)
  let length = source.length
  for (const edit of edits) length += edit.text.length - (edit.end - edit.start)
  const origin = new Int32Array(length + 1)
  const parts: string[] = []
  let read = 0
  let write = 0
  for (const edit of edits) {
    for (let i = read; i < edit.start; i++) origin[write++] = from[i]!
    parts.push(source.slice(read, edit.start), edit.text)
    for (let i = 0; i < edit.text.length; i++) origin[write++] = from[edit.start]!
    read = edit.end
  }
  for (let i = read; i <= source.length; i++) origin[write++] = from[i]!
  parts.push(source.slice(read))
  return { text: parts.join(''), origin }
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
