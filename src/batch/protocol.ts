/**
 * What travels between the reader, the workers and the writer. A chunk is a
 * run of consecutive input rows; its result is the rows' serialized output
 * (the "spill" lines) and their compact records for the cross-review pass.
 */
import type { ReviewRecord } from '../authenticity/index.js'
import type { CanonicalField, ErrorCode, Options } from '../review/index.js'

/** A row the reader could not hand over as bytes (too long, unterminated quote). */
export interface RowProblem {
  /** Position of the row in its chunk. */
  at: number
  code: ErrorCode
  message: string
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
}

/** Rows as objects (from `analyzeBatch`). */
export interface ObjectsChunk extends ChunkBase {
  kind: 'objects'
  items: unknown[]
}

export type Chunk = BytesChunk | ObjectsChunk

/** Typed-array fields of the chunk's records, packed into one buffer per field for transfer. */
export interface PackedField {
  key: string
  data: Uint32Array
  /** Start of each record's array in `data`; -1 when the record had none (null). */
  offsets: Int32Array
  lengths: Uint32Array
}

/** Field-name detection counts: canonical field → [source key, rows][]. */
export type FieldCounts = [CanonicalField, [string, number][]][]

/** What the per-review stage returns for a chunk. */
export interface ChunkResult {
  seq: number
  endOffset: number
  start: number
  rows: number
  /** One spill line per row, each ending in "\n" (see `spill-line.ts`). */
  spill: string
  /** Records of the ok rows, in row order, with typed-array fields moved to `packed`. */
  records: ReviewRecord[]
  packed: PackedField[]
  fields: FieldCounts
}

/** The options a worker needs: the user's options minus callbacks and run control. */
export type WorkerOptions = Omit<Options, 'onProgress' | 'signal' | 'workers' | 'chunkSize' | 'format'>

/** A worker's `workerData`. */
export interface WorkerInit {
  options: WorkerOptions
}

/** A message to a worker. */
export type ToWorker = { type: 'chunk'; chunk: Chunk }
/** A message from a worker. */
export type FromWorker = { type: 'result'; result: ChunkResult } | { type: 'failed'; seq: number; message: string }
