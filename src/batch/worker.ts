/**
 * Worker-thread entry (built as `dist/recensio-worker.js`): runs the per-review stage
 * on the chunks the pool sends and posts back the spill bytes and the
 * records' columns, transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { contextFor } from '../analyze.js'
import { resolveParsedOptions } from '../review/index.js'
import { prime } from './prime.js'
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js'
import { Stage, transferList } from './stage.js'

if (parentPort !== null) {
  const port = parentPort
  const init = workerData as WorkerInit
  // Options and compiled data are resolved once per worker, not per chunk;
  // the options were validated by the thread that started the worker.
  const ctx = contextFor(resolveParsedOptions(init.options))
  const stage = new Stage(ctx)
  // Threads start for inputs longer than a chunk or two: prime while the first chunk is on its way.
  prime(ctx)
  port.on('message', (message: ToWorker) => {
    const { chunk } = message
    let reply: FromWorker
    try {
      const result = stage.run(chunk)
      reply = { type: 'result', result }
      port.postMessage(reply, transferList(result))
    } catch (error) {
      reply = { type: 'failed', seq: chunk.seq, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }
      port.postMessage(reply)
    }
  })
}
