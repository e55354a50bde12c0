/** Timing for the linear-time checks of the analyzers' tests. */

/**
 * Time of one call of `run`, the best of 9 timings of `runs` calls each, so
 * that a GC pause or another process on a busy machine does not decide. Give
 * a small input ten times the runs of a large one, so that both timings span
 * about as long and are as likely to be cut into.
 */
export function bestPerRun(run: () => void, runs: number): number {
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now()
    for (let k = 0; k < runs; k++) run()
    best = Math.min(best, performance.now() - t0)
  }
  return best / runs
}
