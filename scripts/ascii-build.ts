/**
 * Writes the built JavaScript in ASCII: each character past U+007F (in
 * comments, regular expressions and the few strings the bundler leaves) as
 * a `\uXXXX` escape. Node decodes an ASCII module source into a one-byte
 * string: 1.8 MB of lexicons and language data then load ~10 ms faster in
 * each thread, in half the memory, than as a two-byte string, which a single
 * "→" in a comment makes of the whole file.
 *
 * A `\uXXXX` escape means the character itself in a string, a template, a
 * regular expression (with or without the u flag) and a comment; only a
 * `String.raw` template would keep the escape's six characters, so a line
 * that has both is refused, as is a character escaped with a backslash
 * (`\é`), which would become a backslash and five letters.
 */
import { readFileSync, writeFileSync } from 'node:fs'

/**
 * @param paths Built `.js` / `.cjs` files, rewritten in place.
 * @returns How many characters were escaped.
 */
export function asciiBuild(paths: readonly string[]): number {
  let escaped = 0
  for (const path of paths) {
    const source = readFileSync(path, 'utf8')
    if (!/[^\x00-\x7f]/.test(source)) continue
    const lines = source.split('\n')
    for (let l = 0; l < lines.length; l++) {
      const line = lines[l]!
      if (!/[^\x00-\x7f]/.test(line)) continue
      if (line.includes('String.raw')) throw new Error(`${path}:${l + 1}: a String.raw template line with characters past ASCII; escaping them would change its text`)
      lines[l] = line.replace(/[^\x00-\x7f]/g, (c, at: number) => {
        // `\é` is "é" in a string or a regular expression, but `\\u00e9` a backslash and "u00e9".
        let slashes = 0
        while (line[at - 1 - slashes] === '\\') slashes++
        if (slashes % 2 === 1) throw new Error(`${path}:${l + 1}: a character past ASCII after a backslash; escaping it would change its text`)
        escaped++
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
      })
    }
    writeFileSync(path, lines.join('\n'))
  }
  return escaped
}
