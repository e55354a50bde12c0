/**
 * What travels between the reader, the workers and the writer. A chunk is a
 * run of consecutive input rows; its result is the rows' serialized output
 * (the "spill" lines, as bytes) and their compact records for the
 * cross-review pass, in columns: a result is typed arrays only (but a few
 * strings), so a worker transfers it rather than cloning it.
 */
import type { RecordBatch } from '../authenticity/index.js'
import type { CountedField, ErrorCode, ParsedOptions } from '../review/index.js'
import type { Tally } from './tally.js'

/** A row the reader could not hand over as bytes (too long, unterminated quote). */
export interface RowProblem {
  /** Position of the row in its chunk. */
  at: number
  code: ErrorCode
  message: string
  /** The row's id, when it can be read despite the problem. */
  id?: string
}

interface ChunkBase {
  /** Position of the chunk in the input (0, 1, 2, …): results are written in this order. */
  seq: number
  /** 0-based batch index of the chunk's first row. */
  start: number
  /** Number of rows in the chunk. */
  rows: number
  /** Input bytes read through the end of the chunk's last row (0 for objects), for progress. */
  endOffset: number
  /**
   * The window ends after this chunk, short of its row count: the input went
   * quiet (`windowIdleMs`). A chunk of no rows says only that; it is never
   * analyzed.
   */
  windowEnd?: true
}

/** Rows as raw bytes: JSON Lines, or CSV records under a header. */
export interface BytesChunk extends ChunkBase {
  kind: 'jsonl' | 'csv'
  /** The rows' bytes (its buffer is owned by the chunk and transferred). */
  bytes: Uint8Array
  /** Byte range of each row in `bytes`. */
  starts: Uint32Array
  ends: Uint32Array
  /** 1-based line number where each row starts in the file. */
  lines: Uint32Array
  problems: RowProblem[]
  /** True when the chunk's last row is the file's last line and has no newline. */
  unterminated: boolean
  /** CSV only: the column names and the delimiter. */
  header: string[] | null
  delimiter: string
  /** The file the rows come from, when the batch reads several: their problems name it. */
  file?: string
}

/** Rows as objects (from `analyzeBatch`). */
export interface ObjectsChunk extends ChunkBase {
  kind: 'objects'
  items: unknown[]
}

export type Chunk = BytesChunk | ObjectsChunk

/** Field-name detection counts: canonical field → [source key, rows][]. */
export type FieldCounts = [CountedField, [string, number][]][]

/** What the per-review stage returns for a chunk. */
export interface ChunkResult {
  seq: number
  endOffset: number
  start: number
  rows: number
  /** One output line per row, each ending in "\n", as UTF-8 (its buffer is transferred); the cross-review pass changes only the authenticity of some. */
  spill: Uint8Array
  /** Records of the ok rows, in row order, in columns (their buffers are transferred). */
  records: RecordBatch
  fields: FieldCounts
  /** The result rows read for `keep`, and how many of them had each `keep` key (in `keep` order). */
  kept: { rows: number; keys: number[] }
  /** The file the rows come from, when the batch reads several (its `fields` are that file's). */
  file?: string
  /** The rows' counts for the summary, in parts of about 1 MB of `spill` (a stop while writing ends at a part's end). */
  parts: SpillPart[]
}

/** The lines of a result's `spill` up to byte `end` (from the previous part's end) and their tally. */
export interface SpillPart {
  end: number
  tally: Tally
}

/** The options a worker needs: the batch's validated options minus callbacks and run control. */
export type WorkerOptions = Omit<ParsedOptions, 'onProgress' | 'signal' | 'workers' | 'chunkSize' | 'format' | 'window' | 'windowIdleMs' | 'arrayPath'>

/** A worker's `workerData`. */
export interface WorkerInit {
  options: WorkerOptions
}

/** A message to a worker. */
export type ToWorker = { type: 'chunk'; chunk: Chunk }
/** A message from a worker. */
export type FromWorker = { type: 'result'; result: ChunkResult } | { type: 'failed'; seq: number; message: string }
