import type { OffsetMap } from './edits.js'

/** What a token is. Words carry the analyzers' evidence; the rest are signals. */
export type TokenKind =
  | 'word'
  | 'number'
  | 'emoji'
  | 'emoticon'
  | 'url'
  | 'email'
  | 'phone'
  | 'mention'
  | 'hashtag'
  | 'punct'

/**
 * One token of a normalized text. Offsets are into `FieldText.clean`; use
 * `spanOf` to get the exact substring of the original input.
 */
export interface Token {
  kind: TokenKind
  /** Start offset in the clean text (UTF-16 code units). */
  start: number
  /** End offset (exclusive) in the clean text. */
  end: number
  /** Lower-cased surface form; runs of 3+ equal letters squeezed to 2 ("soooo" → "soo"). */
  norm: string
  /** `norm` with accents folded ("pésimo" → "pesimo"): the key lexicons match on. */
  key: string
  /** The word was written in capitals (2+ letters, all upper case). */
  caps: boolean
  /** The word had a run of 3+ equal letters ("buenísimooo"). */
  elongated: boolean
  /**
   * Id of `key` in the word table (see `vocabulary.ts`): analyzers index their
   * per-word data by it. NO_WORD_ID (-1) for other kinds and for words the table does not hold.
   */
  id: number
  /** Id of `norm` in the word table (equal to `id` when the word has no accent); NO_WORD_ID like `id`. */
  normId: number
}

/** What the normalizer changed, reported so a user can see the input was repaired. */
export type Repair = 'mojibake' | 'html' | 'zero_width' | 'unicode_nfc' | 'control_chars' | 'machine_translation'

/** One text field (body or title) after normalization and tokenization. */
export interface FieldText {
  /** The input exactly as given. */
  original: string
  /** The normalized text the tokens point into. */
  clean: string
  /** `clean` lower-cased when that keeps offsets (almost always); else null. */
  lower: string | null
  tokens: Token[]
  /**
   * For each clean character, the original range it came from; null when
   * normalization changed nothing that moves offsets.
   */
  origin: OffsetMap | null
  repairs: Repair[]
}

/** The shared per-review text: tokens are made once and read by every analyzer. */
export interface Doc {
  body: FieldText
  title: FieldText | null
}
