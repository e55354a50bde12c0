import type { Doc } from '../text/index.js'
import { fnv1a } from '../text/index.js'

/** Hash of the normalized body (token keys joined), for exact copies and cross-listings. */
export function exactHash(doc: Doc): number {
  let h = 0x811c9dc5
  for (const t of doc.body.tokens) {
    if (t.kind === 'punct') continue
    h = fnv1a(t.key, h)
    h = fnv1a(' ', h)
  }
  return h >>> 0
}

/** MinHash signature (placeholder until the authenticity part lands: none). */
export function fingerprint(_doc: Doc): Uint32Array | null {
  return null
}
