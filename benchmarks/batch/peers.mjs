#!/usr/bin/env node
// One contender of the batch benchmark, alone in its process, streaming the
// same JSON Lines as recensio: read a line, JSON.parse it, score its text.
//
//   node benchmarks/batch/peers.mjs <parse|wink|sentiment|natural|franc> <file.jsonl>
//
// Prints {"rows":…,"ms":…} on stdout: rows scored and milliseconds from the
// first byte read to the last row (module loading excluded, as for recensio's
// own elapsedMs). `parse` only reads and parses: the floor of any contender.
import { createReadStream } from 'node:fs'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

const require = createRequire(import.meta.url)
const [peer, file] = process.argv.slice(2)

async function scorer(name) {
  switch (name) {
    case 'parse':
      return () => 0
    case 'wink': {
      const wink = require('wink-sentiment')
      return (text) => wink(text).normalizedScore
    }
    case 'sentiment': {
      const Sentiment = require('sentiment')
      const s = new Sentiment()
      return (text) => s.analyze(text).comparative
    }
    case 'natural': {
      // Deep imports: natural's top level loads database drivers and prints.
      const Analyzer = require('natural/lib/natural/sentiment/SentimentAnalyzer.js')
      const stemmer = require('natural/lib/natural/stemmers/porter_stemmer.js')
      const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js')
      const analyzer = new Analyzer('English', stemmer, 'afinn')
      const tokenizer = new WordTokenizer()
      return (text) => analyzer.getSentiment(tokenizer.tokenize(text))
    }
    case 'franc': {
      const { franc } = await import('franc')
      const only = ['spa', 'ita', 'eng']
      return (text) => franc(text, { only }).length
    }
    default:
      throw new Error(`unknown peer ${name}`)
  }
}

const score = await scorer(peer)
const started = performance.now()
let rows = 0
let sink = 0
const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })
for await (const line of lines) {
  if (line === '') continue
  let row
  try {
    row = JSON.parse(line)
  } catch {
    continue
  }
  if (row === null || typeof row.text !== 'string') continue
  const out = score(row.text)
  sink += typeof out === 'number' ? out : 0
  rows++
}
const ms = performance.now() - started
process.stdout.write(`${JSON.stringify({ rows, ms, check: Number.isFinite(sink) })}\n`)
