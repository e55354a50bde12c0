/** The machine's cores, for the default worker count (kept apart from the engine so `--help` can say it cheaply). */
import { availableParallelism } from 'node:os'

/** Cores this process may use, at least one. */
export function cores(): number {
  return Math.max(1, availableParallelism())
}
