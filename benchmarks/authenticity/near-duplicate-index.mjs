#!/usr/bin/env node
// NearDuplicateIndex on the generated 100k-row dump: time per add(), memory
// per stored review, the size of toBytes() per stored review and the time of
// toBytes() and fromBytes() (median of 7, after checking that the restored
// index answers as the original), and the longest single add() while every
// stored review is replaced in turn (the call that drops the replaced texts
// copies the stored ones: the README's pause).
//
//   npm run build && node --expose-gc benchmarks/authenticity/near-duplicate-index.mjs
//
// The dump is the one benchmarks/batch/run.mjs makes (node benchmarks/batch/generate.mjs 100000).
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { NearDuplicateIndex } from '../../dist/index.js'

const dump = resolve(import.meta.dirname, '../.cache/dump-v2-100000.jsonl')
if (!existsSync(dump)) throw new Error(`${dump} is missing: run node benchmarks/batch/generate.mjs 100000 first`)
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
const rows = []
for (const line of readFileSync(dump, 'utf8').split('\n')) {
  try {
    const r = JSON.parse(line)
    if (typeof r.text === 'string' && typeof r.id === 'string') rows.push(r)
  } catch {}
}
// Every word is seen once first, so the word table's growth is not counted as the index's.
const warm = new NearDuplicateIndex()
for (const r of rows) warm.match(r.text)
globalThis.gc()
const before = process.memoryUsage()
const index = new NearDuplicateIndex()
let matched = 0
const started = process.cpuUsage()
for (const r of rows) if (index.add(r.id, r.text).length > 0) matched++
const cpu = process.cpuUsage(started)
globalThis.gc()
const after = process.memoryUsage()
const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers
console.log(`${rows.length} reviews added, ${index.size} stored, ${matched} matched an earlier one`)
console.log(`CPU per add: ${((cpu.user + cpu.system) / rows.length).toFixed(1)} µs; memory per stored review: ${(bytes / index.size / 1024).toFixed(2)} kB`)

// Save and restore: the restored index must answer as the original before anything is timed.
// In a block, so that what it makes can be collected before the pause below is measured.
{
  const saved = index.toBytes()
  const restored = NearDuplicateIndex.fromBytes(saved)
  if (restored.size !== index.size) throw new Error(`restored ${restored.size} reviews of ${index.size}`)
  for (let i = 0; i < rows.length; i += 50) {
    const a = JSON.stringify(index.match(rows[i].text, 50))
    if (JSON.stringify(restored.match(rows[i].text, 50)) !== a) throw new Error(`row ${i}: the restored index answers otherwise`)
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1]
  const timed = (f) => {
    const ms = []
    for (let i = 0; i < 7; i++) {
      const t = performance.now()
      f()
      ms.push(performance.now() - t)
    }
    return `${median([...ms]).toFixed(0)} ms (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)})`
  }
  const ids = rows.reduce((n, r) => n + Buffer.byteLength(r.id), 0) / rows.length
  console.log(`toBytes: ${(saved.length / 1e6).toFixed(1)} MB, ${(saved.length / index.size).toFixed(0)} bytes per stored review (ids average ${ids.toFixed(1)} bytes)`)
  console.log(`toBytes: ${timed(() => index.toBytes())}; fromBytes: ${timed(() => NearDuplicateIndex.fromBytes(saved))} (median of 7, min–max)`)
}
globalThis.gc()

// Each stored review edited in turn (another row's text under its id): once the replaced texts outnumber the stored
// ones, one add() drops them, copying what is stored.
let slowest = 0
for (let i = 0; i < rows.length; i++) {
  const t = performance.now()
  index.add(rows[i].id, rows[(i + 1) % rows.length].text)
  slowest = Math.max(slowest, performance.now() - t)
}
console.log(`slowest add() while ${index.size} stored reviews were each replaced once: ${slowest.toFixed(0)} ms`)
