/**
 * The built `recensio` binary: exit codes, stdout/stderr, files, and the
 * behaviour a user sees on good and broken inputs.
 */
import { type SpawnSyncReturns, execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { csvHeader, csvLine } from '../src/cli/csv-output.js'
import type { ResultRow } from '../src/index.js'
import { jsonl, root, syntheticRows, tempDir, tempFile } from './batch-util.js'

const CLI = join(root, 'dist/cli.js')

function run(args: string[], input?: string | Buffer): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 })
}

function lines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown)
}

function csvRows(text: string): string[][] {
  // The CLI's own CSV is simple enough to split without a parser when no cell holds a newline.
  return text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\n')
    .map((l) => l.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)!.slice(0, -1).map((c) => c.replace(/,$/, '')))
}

const FIXTURE = jsonl([
  { id: 'a1', text: 'Llegó rápido y funciona de maravilla.', rating: 5 },
  { id: 'a2', text: 'Si è rotto dopo due giorni, pessimo.', rating: 1 },
  { id: 'a3', rating: 4 },
  { id: 'a4', text: 'Does the job, nothing special.', rating: 3 },
])

describe('recensio (no command)', () => {
  it('prints the usage with examples and exit codes for --help', () => {
    const r = run(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('recensio analyze <file...|->')
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*2 +usage error/)
  })

  it('prints the analyze help with examples', () => {
    const r = run(['analyze', '--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('--map <field=column,...>')
    expect(r.stdout).toContain('Examples:')
  })

  it('exits 2 on an unknown command or option, with one line and a hint', () => {
    const a = run(['analyse', 'x.jsonl'])
    expect(a.status).toBe(2)
    expect(a.stderr).toMatch(/^recensio: unknown command "analyse"/)
    const b = run(['analyze', 'x.jsonl', '--wrokers', '2'])
    expect(b.status).toBe(2)
    expect(b.stderr.split('\n')[0]).toMatch(/^recensio: .*--wrokers/)
  })

  it('prints the version, for each spelling CLIs use', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
    for (const flag of ['--version', '-v', '-V']) {
      const r = run([flag])
      expect(r.status, flag).toBe(0)
      expect(r.stdout.trim(), flag).toBe(version)
    }
  })
})

describe('recensio analyze: inputs', () => {
  it('reads gzip-compressed JSONL and CSV, from files and stdin, as their inflated bytes', () => {
    const plain = run(['analyze', tempFile('plain.jsonl', FIXTURE), '--quiet'])
    const gz = run(['analyze', tempFile('packed.jsonl.gz', gzipSync(FIXTURE)), '--quiet'])
    expect(gz.status).toBe(0)
    expect(gz.stdout).toBe(plain.stdout)
    const piped = run(['analyze', '-', '--quiet'], gzipSync(FIXTURE))
    expect(piped.status).toBe(0)
    expect(piped.stdout).toBe(plain.stdout)
    // Windows-1252 text, compressed: inflated first, then decoded, from a file or a pipe.
    const latin = Buffer.from('id,text\n1,"Qualit\xe0 ottima, lo consiglio a tutti"\n2,"Pessimo, arrivato rotto"\n', 'latin1')
    const decoded = run(['analyze', tempFile('w.csv', latin), '--encoding', 'windows-1252', '--quiet'])
    expect(decoded.stdout).toContain('"code":"it"')
    expect(run(['analyze', tempFile('w.csv.gz', gzipSync(latin)), '--encoding', 'windows-1252', '--quiet']).stdout).toBe(decoded.stdout)
    expect(run(['analyze', '-', '--encoding', 'windows-1252', '--quiet'], gzipSync(latin)).stdout).toBe(decoded.stdout)
    const csv = 'review_id;body;stars\nc1;"Llegó rápido, funciona bien";5\nc2;"Pessimo, rotto dopo un giorno";1\n'
    const fromCsv = run(['analyze', tempFile('packed.csv.gz', gzipSync(csv))])
    expect(fromCsv.status).toBe(0)
    expect((lines(fromCsv.stdout) as { id: string; ok: boolean }[]).map((x) => [x.id, x.ok])).toEqual([
      ['c1', true],
      ['c2', true],
    ])
    expect(fromCsv.stderr).toMatch(/text ← body/)
  })

  it('analyzes the rows of a cut-off gzip file up to the cut, and says the file is cut off', () => {
    const rows = syntheticRows(400, 17)
    const whole = gzipSync(Buffer.from(jsonl(rows)))
    const dir = tempDir()
    const out = join(dir, 'out.jsonl')
    const summary = join(dir, 'summary.json')
    const cut = run(['analyze', tempFile('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.6))), '--out', out, '--summary-json', summary])
    expect(cut.status).toBe(0)
    expect(cut.stderr).toMatch(/recensio: warning: .*cut\.jsonl\.gz is cut off: its compressed data ends early/)
    const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; row: number; error?: { code: string } })
    expect(written.length).toBeGreaterThan(50)
    expect(written.length).toBeLessThan(rows.length)
    expect(written.map((r) => r.row)).toEqual(written.map((_, k) => k + 1))
    const read = JSON.parse(readFileSync(summary, 'utf8')) as { rows: number; input: { incomplete?: string } }
    expect(read.rows).toBe(written.length)
    expect(read.input.incomplete).toMatch(/cut off/)
  })

  it('exits 3 when more rows than --max-error-rows allows are error rows, with every row written', () => {
    // FIXTURE: one error row (a3, no text) of four.
    const input = tempFile('in.jsonl', FIXTURE)
    const dir = tempDir()
    const out = join(dir, 'out.jsonl')
    for (const [limit, status] of [['0', 3], ['1', 0], ['24%', 3], ['25%', 0], ['0.5%', 3]] as const) {
      const r = run(['analyze', input, '--out', out, '--summary-json', join(dir, 's.json'), '--max-error-rows', limit, '--quiet'])
      expect([limit, r.status]).toEqual([limit, status])
      expect(lines(readFileSync(out, 'utf8'))).toHaveLength(4)
      expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'))).toMatchObject({ rows: 4, errors: 1 })
      if (status === 3) expect(r.stderr).toMatch(new RegExp(`^recensio: 1 error row of 4 \\(25%\\), over --max-error-rows ${limit.replace('.', '\\.')}: exit 3$`, 'm'))
      else expect(r.stderr).not.toMatch(/max-error-rows/)
    }
  })

  it('lets a run whose error rows are exactly the --max-error-rows share pass', () => {
    // 29 error rows of 100: 29% allows them, though 29 / 100 * 100 is 28.999… in floating point.
    const rows = Array.from({ length: 100 }, (_, i) => (i < 29 ? { id: `e${i}`, rating: 4 } : { id: `r${i}`, text: 'Llegó rápido y funciona bien.' }))
    const input = tempFile('shares.jsonl', jsonl(rows))
    for (const [limit, status] of [['29%', 0], ['29.0%', 0], ['28.99%', 3]] as const) {
      const r = run(['analyze', input, '--out', join(tempDir(), 'out.jsonl'), '--max-error-rows', limit, '--quiet'])
      expect([limit, r.status]).toEqual([limit, status])
    }
  })

  it('shows the share of error rows over a --max-error-rows share with the decimals it takes', () => {
    // 2 of 1,900 is 0.105%: "(0.1%), over --max-error-rows 0.1%" would read as within it.
    const rows = Array.from({ length: 1900 }, (_, i) => (i < 2 ? { id: `e${i}`, rating: 4 } : { id: `r${i}`, text: 'Llegó rápido y funciona bien.' }))
    const r = run(['analyze', tempFile('shares.jsonl', jsonl(rows)), '--out', join(tempDir(), 'out.jsonl'), '--max-error-rows', '0.1%', '--quiet'])
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/^recensio: 2 error rows of 1,900 \(0\.11%\), over --max-error-rows 0\.1%: exit 3$/m)
  })

  it('exits 3 under --max-error-rows when a gzip input is cut short, whatever its error rows', () => {
    const whole = gzipSync(Buffer.from(jsonl(syntheticRows(400, 17))))
    const cut = tempFile('cut.jsonl.gz', whole.subarray(0, Math.floor(whole.length * 0.6)))
    const r = run(['analyze', cut, '--out', join(tempDir(), 'out.jsonl'), '--max-error-rows', '100%', '--quiet'])
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/^recensio: the input was cut short, so rows may be missing that no error row counts \(--max-error-rows 100%\): exit 3$/m)
    expect(run(['analyze', cut, '--out', join(tempDir(), 'out.jsonl'), '--quiet']).status).toBe(0)
  })

  it('refuses a --max-error-rows that is neither a count nor a share', () => {
    for (const bad of ['-1', '1.5', '101%', 'ten', '%']) {
      const r = run(['analyze', tempFile('in.jsonl', FIXTURE), '--max-error-rows', bad])
      expect(r.status).toBe(2)
      expect(r.stderr).toBe(`recensio: --max-error-rows: expected a number of rows (such as 0 or 25) or a share of the rows (such as 0.5%), got "${bad}"\nTry 'recensio analyze --help'.\n`)
    }
  })

  it('reads every row of a gzip file cut in its trailer alone, and says the rows are all there but unchecked', () => {
    const rows = syntheticRows(300, 29)
    const whole = gzipSync(Buffer.from(jsonl(rows)))
    const expected = lines(run(['analyze', tempFile('whole.jsonl.gz', whole), '--quiet']).stdout)
    for (const lost of [8, 3]) {
      const cut = run(['analyze', tempFile(`trailer${lost}.jsonl.gz`, whole.subarray(0, whole.length - lost)), '--quiet'])
      expect(cut.status).toBe(0)
      expect(lines(cut.stdout)).toEqual(expected)
      expect(cut.stderr).toContain(`is cut off in its last ${lost} bytes, the gzip check after its data: all of its data was read, but could not be checked`)
      expect(cut.stderr).not.toMatch(/rows after the last one read are missing/)
    }
  })

  it('reads every row of a gzip file with trailing data, and warns that the trailing data was ignored', () => {
    // Two members (`cat a.gz b.gz`), then bytes that are not gzip (`echo junk >> dump.jsonl.gz`).
    const rows = syntheticRows(3000, 23)
    const packed = Buffer.concat([gzipSync(jsonl(rows.slice(0, 1000))), gzipSync(jsonl(rows.slice(1000))), Buffer.from('junk\n')])
    const dir = tempDir()
    const out = join(dir, 'out.jsonl')
    const summary = join(dir, 'summary.json')
    const input = tempFile('junk.jsonl.gz', packed)
    const r = run(['analyze', input, '--out', out, '--summary-json', summary, '--workers', '1'])
    expect(r.status).toBe(0)
    const warning = `${input} has trailing data after its compressed data (from byte ${packed.length - 4}), which was ignored`
    expect(r.stderr).toContain(`recensio: warning: ${warning}`)
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(3000)
    expect((JSON.parse(readFileSync(summary, 'utf8')) as { input: { incomplete?: string } }).input.incomplete).toMatch(/junk\.jsonl\.gz has trailing data/)
    // A small file is inflated in one call: its one row is not lost with the trailing data.
    const one = gzipSync('{"id":"r1","text":"Ottimo"}\n')
    const small = run(['analyze', '-'], Buffer.concat([one, Buffer.from('junk\n')]))
    expect(small.status).toBe(0)
    expect((lines(small.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['r1'])
    expect(small.stderr).toContain(`recensio: warning: stdin has trailing data after its compressed data (from byte ${one.length + 1}), which was ignored`)
    // Zeros that pad a file to a block size are no data.
    const padded = run(['analyze', tempFile('padded.jsonl.gz', Buffer.concat([gzipSync(FIXTURE), Buffer.alloc(512)])), '--quiet'])
    expect(padded.status).toBe(0)
    expect(padded.stderr).not.toMatch(/warning/)
    expect(lines(padded.stdout)).toHaveLength(4)
  })

  it('fails with one line naming a corrupt gzip file, and writes nothing', () => {
    const whole = gzipSync(Buffer.from(FIXTURE.repeat(200)))
    const dir = tempDir()
    const out = join(dir, 'out.jsonl')
    const garbled = Buffer.from(whole)
    for (let i = 12; i < 40; i++) garbled[i] = 0xff
    const bad = run(['analyze', tempFile('bad.jsonl.gz', garbled), '--out', out])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^recensio: cannot decompress .*bad\.jsonl\.gz: it is not valid gzip data/)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })

  it('writes one row per input row to stdout and a summary to stderr', () => {
    const r = run(['analyze', tempFile('in.jsonl', FIXTURE)])
    expect(r.status).toBe(0)
    const rows = lines(r.stdout) as { id: string; ok: boolean; row: number }[]
    expect(rows.map((x) => [x.id, x.ok, x.row])).toEqual([
      ['a1', true, 1],
      ['a2', true, 2],
      ['a3', false, 3],
      ['a4', true, 4],
    ])
    expect(r.stderr).toMatch(/4 rows → stdout/)
    expect(r.stderr).toMatch(/ok 3 · error rows 1 \(required 1\)/)
    expect(r.stderr).toMatch(/languages: /)
    expect(r.stderr).toMatch(/sentiment: average ([+−]\d\.\d{3}|0\.000) \(/)
    // Stage counts and average stage sentiment, busiest stage first: "usage 3 (+0.12) · delivery 1 (+0.80)".
    const journey = /journey \(reviews, average sentiment\): (.*)/.exec(r.stderr)
    expect(journey).not.toBeNull()
    const stages = journey![1]!.split(' · ').map((part) => /^([a-z_]+) (\d+) \(([+−]\d\.\d\d|0\.00)\)$/.exec(part))
    for (const m of stages) expect(m).not.toBeNull()
    expect(stages.map((m) => m![1])).toContain('usage')
    const counts = stages.map((m) => Number(m![2]))
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it('reads stdin with -', () => {
    const r = run(['analyze', '-', '--quiet'], FIXTURE)
    expect(r.status).toBe(0)
    expect(lines(r.stdout)).toHaveLength(4)
  })

  it('fails at once with one line for a missing file', () => {
    const r = run(['analyze', join(tempDir(), 'nope.jsonl')])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^recensio: cannot read .*nope\.jsonl: no such file\n$/)
  })

  it('fails at once with one line for a PNG or random binary', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)])
    const a = run(['analyze', tempFile('photo.csv', png)])
    expect(a.status).toBe(2)
    expect(a.stderr).toMatch(/^recensio: .*photo\.csv: not a JSON Lines, JSON, CSV or .xlsx file: it looks like a PNG image\n$/)
    // A short relative name is still named, even when the message happens to contain it ("a JSON").
    const short = spawnSync(process.execPath, [CLI, 'analyze', 'a'], { cwd: dirname(tempFile('a', png)), encoding: 'utf8' })
    expect(short.stderr).toBe('recensio: a: not a JSON Lines, JSON, CSV or .xlsx file: it looks like a PNG image\n')
    const noise = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + 7) % 256))
    const b = run(['analyze', tempFile('noise.bin', noise)])
    expect(b.status).toBe(2)
    expect(b.stderr).toMatch(/^recensio: .*noise\.bin: not a JSON Lines, JSON, CSV or .xlsx file: it holds binary data/)
  })

  it('reads CSV with a BOM, ";" and quoted fields with newlines', () => {
    const csv = '\uFEFFid;text;stars\n1;"Buono; anzi ottimo";5\n2;"Riga uno\nriga due";4\n'
    const r = run(['analyze', tempFile('in.csv', csv), '--keep', 'text'])
    expect(r.status).toBe(0)
    const rows = lines(r.stdout) as { id: string; fields: { text: string }; rating: number }[]
    expect(rows.map((x) => [x.id, x.fields.text, x.rating])).toEqual([
      ['1', 'Buono; anzi ottimo', 5],
      ['2', 'Riga uno\nriga due', 4],
    ])
  })

  it('maps columns with --map and reports detected columns in the summary', () => {
    const input = jsonl([{ reviewerID: 'u1', body: 'Perfecto', overall: 10, asin: 'B1' }])
    const r = run(['analyze', tempFile('m.jsonl', input), '--map', 'text=body', '--rating-scale', '0-10'])
    expect(r.status).toBe(0)
    expect(lines(r.stdout)[0]).toMatchObject({ ok: true, rating: 5, author: 'u1', product: 'B1' })
    expect(r.stderr).toMatch(/columns: .*text ← body/)
    expect(r.stderr).toMatch(/rating ← overall/)
  })

  it('refuses a --map to an unknown field', () => {
    const r = run(['analyze', tempFile('m.jsonl', FIXTURE), '--map', 'texto=body'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^recensio: --map: unknown field "texto"/)
  })

  it('refuses a field mapped to two columns, an empty input path, and a --format the --out name contradicts', () => {
    const input = tempFile('m2.jsonl', FIXTURE)
    const twice = run(['analyze', input, '--map', 'text=body', '--map', 'text=comment'])
    expect(twice.status).toBe(2)
    expect(twice.stderr).toMatch(/^recensio: --map: text is given two columns \("body" and "comment"\); give it one\n/)
    // The same column twice is no contradiction.
    expect(run(['analyze', input, '--map', 'text=text,text=text', '--quiet']).status).toBe(0)
    const empty = run(['analyze', ''])
    expect(empty.status).toBe(2)
    expect(empty.stderr).toMatch(/^recensio: analyze: an input path is empty \(""\)\n/)
    const dir = tempDir()
    for (const [format, out, named] of [['jsonl', 'results.csv', 'CSV'], ['csv', 'results.jsonl.gz', 'JSON Lines']] as const) {
      const r = run(['analyze', input, '--format', format, '--out', join(dir, out)])
      expect(r.status, out).toBe(2)
      expect(r.stderr, out).toContain(`--format ${format}: --out ${join(dir, out)} names a ${named} file; leave out --format (the name decides), or give the file a .${format} name`)
      expect(existsSync(join(dir, out)), out).toBe(false)
    }
    // A name that says no format takes the one given.
    expect(run(['analyze', input, '--format', 'csv', '--out', join(dir, 'results.txt'), '--quiet']).status).toBe(0)
    expect(readFileSync(join(dir, 'results.txt'), 'utf8').startsWith('\uFEFFid,')).toBe(true)
  })

  it('gives error rows for a bad line, a cut-off last line, invalid UTF-8 and a 10 MB row', () => {
    const big = JSON.stringify({ id: 'big', text: 'z'.repeat(10 * 1024 * 1024) })
    const bytes = Buffer.concat([
      Buffer.from('{"id":"1","text":"Bien"}\nnot json\n'),
      Buffer.from('{"id":"3","text":"Tr'),
      Buffer.from([0xe8]),
      Buffer.from('s bien"}\n'),
      Buffer.from(`${big}\n{"id":"5","text":"Sin fin`),
    ])
    const r = run(['analyze', tempFile('broken.jsonl', bytes), '--workers', '1'])
    expect(r.status).toBe(0)
    const rows = lines(r.stdout) as { ok: boolean; row: number; warnings?: string[]; error?: { code: string } }[]
    expect(rows.map((x) => x.row)).toEqual([1, 2, 3, 4, 5])
    expect(rows.map((x) => x.error?.code ?? 'ok')).toEqual(['ok', 'invalid_json', 'ok', 'too_big', 'truncated'])
    expect(rows[2]!.warnings).toContain('replaced invalid UTF-8 bytes with U+FFFD')
  })
})

describe('recensio analyze: outputs', () => {
  it('writes --out through a temporary file and leaves nothing else behind', () => {
    const dir = tempDir()
    const out = join(dir, 'results.jsonl')
    const r = run(['analyze', tempFile('in.jsonl', FIXTURE), '--out', out, '--summary-json', join(dir, 'summary.json')])
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('')
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(4)
    expect(readdirSync(dir).sort()).toEqual(['results.jsonl', 'summary.json'])
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toMatchObject({ rows: 4, ok: 3, errors: 1, aborted: false })
  })

  it('writes gzip when --out ends in .gz, CSV for .csv.gz, and the summary too for --summary-json *.gz', () => {
    const dir = tempDir()
    const input = tempFile('in.jsonl', FIXTURE)
    for (const name of ['results.jsonl', 'results.csv']) {
      const plain = run(['analyze', input, '--out', join(dir, name), '--quiet'])
      const packed = run(['analyze', input, '--out', join(dir, `${name}.gz`), '--summary-json', join(dir, `${name}.summary.json.gz`), '--quiet'])
      expect(plain.status).toBe(0)
      expect(packed.status).toBe(0)
      const bytes = readFileSync(join(dir, `${name}.gz`))
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
      expect(gunzipSync(bytes).toString('utf8')).toBe(readFileSync(join(dir, name), 'utf8'))
      expect(JSON.parse(gunzipSync(readFileSync(join(dir, `${name}.summary.json.gz`))).toString('utf8'))).toMatchObject({ rows: 4 })
    }
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toMatch(/^\uFEFFid,ok,row,/)
    expect(readdirSync(dir).sort()).toEqual(['results.csv', 'results.csv.gz', 'results.csv.summary.json.gz', 'results.jsonl', 'results.jsonl.gz', 'results.jsonl.summary.json.gz'])
  })

  it('writes --summary-json - to stdout when the results go to a file, and refuses it when they go to stdout', () => {
    const dir = tempDir()
    const input = tempFile('in.jsonl', FIXTURE)
    const r = spawnSync(process.execPath, [CLI, 'analyze', input, '--out', join(dir, 'results.jsonl'), '--summary-json', '-', '--quiet'], { cwd: dir, encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 4, ok: 3, errors: 1 })
    expect(readdirSync(dir)).toEqual(['results.jsonl'])
    for (const out of [[], ['--out', '-'], ['--out', '/dev/stdout'], ['--out', '//dev/./stdout']]) {
      const both = spawnSync(process.execPath, [CLI, 'analyze', input, ...out, '--summary-json', '-'], { cwd: dir, encoding: 'utf8' })
      expect(both.status, out.join(' ')).toBe(2)
      expect(both.stdout).toBe('')
      expect(both.stderr).toBe("recensio: --summary-json -: the results go to stdout already; write the summary to a file, or the results with --out FILE\nTry 'recensio analyze --help'.\n")
    }
    expect(readdirSync(dir)).toEqual(['results.jsonl'])
  })

  it('writes --summary-json as failed, with the reason, when the run fails', () => {
    // A job reading the summary after a failed run must not take the last run's numbers for this one's.
    const dir = tempDir()
    const summary = join(dir, 'summary.json')
    writeFileSync(summary, '{"rows": 1000, "ok": 1000}\n')
    const missing = run(['analyze', join(dir, 'gone.jsonl'), '--out', join(dir, 'r.jsonl'), '--summary-json', summary])
    expect(missing.status).toBe(2)
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toEqual({ failed: true, exitCode: 2, error: `cannot read ${join(dir, 'gone.jsonl')}: no such file`, code: 'invalid_file' })
    const full = run(['analyze', tempFile('in.jsonl', FIXTURE), '--out', '/dev/full', '--summary-json', summary])
    expect(full.status).toBe(1)
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toEqual({ failed: true, exitCode: 1, error: 'cannot write /dev/full: no space left on device (ENOSPC)' })
    expect(readdirSync(dir)).toEqual(['summary.json'])
  })

  it('writes --summary-json as failed when --out is refused, but not over the results --out names', () => {
    const dir = tempDir()
    const summary = join(dir, 'summary.json')
    const input = join(dir, 'in.jsonl')
    writeFileSync(input, FIXTURE)
    for (const [out, error] of [
      [dir, `cannot write the results to ${dir}: it is a folder`],
      [input, `--out ${input} is an input file: its results would replace it; choose another name`],
    ] as const) {
      writeFileSync(summary, '{"rows": 1000, "ok": 1000}\n')
      const r = run(['analyze', input, '--out', out, '--summary-json', summary])
      expect(r.status).toBe(2)
      expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ failed: true, exitCode: 2, error })
    }
    // --out and --summary-json naming one file: the file is left as it was.
    writeFileSync(summary, '{"rows": 1000, "ok": 1000}\n')
    expect(run(['analyze', input, '--out', summary, '--summary-json', summary]).status).toBe(2)
    expect(readFileSync(summary, 'utf8')).toBe('{"rows": 1000, "ok": 1000}\n')
  })

  it.skipIf(process.platform === 'win32')('writes --out to a named pipe in place, without replacing it', async () => {
    const dir = tempDir()
    const pipe = join(dir, 'pipe')
    execFileSync('mkfifo', [pipe])
    const reading = new Promise<string>((resolve, reject) => {
      let text = ''
      createReadStream(pipe, 'utf8')
        .on('data', (d) => (text += d))
        .on('end', () => resolve(text))
        .on('error', reject)
    })
    const child = spawn(process.execPath, [CLI, 'analyze', tempFile('in.jsonl', FIXTURE), '--out', pipe, '--quiet'], { cwd: root })
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    expect(lines(await reading)).toHaveLength(4)
    expect(statSync(pipe).isFIFO()).toBe(true)
    expect(readdirSync(dir)).toEqual(['pipe'])
  })

  it('makes a missing output folder, as in a fresh checkout', () => {
    const input = tempFile('in.jsonl', FIXTURE)
    const out = join(tempDir(), 'results/run-1/r.jsonl')
    const r = run(['analyze', input, '--out', out, '--summary-json', join(dirname(out), '../s/summary.json'), '--quiet'])
    expect(r.status).toBe(0)
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(lines(FIXTURE).length)
    expect(JSON.parse(readFileSync(join(dirname(out), '../s/summary.json'), 'utf8'))).toHaveProperty('rows')
  })

  it('fails before any work when the output cannot be written', () => {
    const input = tempFile('in.jsonl', FIXTURE)
    const file = tempFile('plain.txt', 'x')
    const a = run(['analyze', input, '--out', join(file, 'r.jsonl')])
    expect(a.status).toBe(2)
    expect(a.stderr).toMatch(/^recensio: cannot write the results to .*r\.jsonl: a part of its folder is a file\n$/)
    const b = run(['analyze', input, '--out', tempDir()])
    expect(b.status).toBe(2)
    expect(b.stderr).toMatch(/it is a folder\n$/)
  })

  it('writes CSV with the main fields and neutralizes formulas', () => {
    const input = jsonl([
      { id: '=HYPERLINK("http://x.example","click")', text: 'Horrible, roto y tarde.', rating: 1, date: 'marzo de 2024', order: '+SUM(A1:A9)' },
      { id: '@evil', text: 'Muy bueno', rating: 5, date: '2024-03-05', order: '-2+3' },
      { id: 'plain', rating: 5, order: 'x' },
    ])
    const dir = tempDir()
    const out = join(dir, 'r.csv')
    const r = run(['analyze', tempFile('in.jsonl', input), '--out', out, '--keep', 'order'])
    expect(r.status).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const [header, a, b, c] = csvRows(text)
    expect(header).toEqual([
      'id',
      'ok',
      'row',
      'product',
      'author',
      'date',
      'dayless',
      'rating',
      'language',
      'language.confidence',
      'sentiment.score',
      'sentiment.label',
      'sentiment.stars',
      'journey',
      'journey.sentiment',
      'authenticity.fakeScore',
      'authenticity.verdict',
      'authenticity.signals',
      'authenticity.reasons',
      'error.field',
      'error.code',
      'error.message',
      'fields.order',
    ])
    const at = (name: string) => header!.indexOf(name)
    expect(a![0]).toBe('"\'=HYPERLINK(""http://x.example"",""click"")"')
    expect(a![at('fields.order')]).toBe("'+SUM(A1:A9)")
    expect(b![0]).toBe("'@evil")
    expect(b![at('fields.order')]).toBe("'-2+3")
    // Numbers are not text: a negative score stays a number.
    expect(a![at('sentiment.score')]).toMatch(/^-?\d+(\.\d+)?$/)
    expect(a![at('rating')]).toBe('1')
    // A date without a day is the 1st, marked as the JSON row marks it.
    expect([a![at('date')], a![at('dayless')]]).toEqual(['2024-03-01T00:00:00.000Z', 'true'])
    expect([b![at('date')], b![at('dayless')]]).toEqual(['2024-03-05T00:00:00.000Z', ''])
    expect(a![at('journey.sentiment')]).toMatch(/(^|;)[a-z]+:negative/)
    expect(c!.slice(0, 3)).toEqual(['plain', 'false', '3'])
    expect(c![at('error.code')]).toBe('required')
    // An error row keeps its kept columns, to be joined back.
    expect(c![at('fields.order')]).toBe('x')
    for (const row of [a, b]) expect(row).toHaveLength(header!.length)
    for (const row of [a, b, c]) {
      for (const cell of row!) if (!/^-?\d+(\.\d+)?$/.test(cell)) expect(cell).not.toMatch(/^"?[=+\-@]/)
    }
  })

  it('writes --format csv as csvLine writes each JSON line, in-process and with two workers', () => {
    // Kept values of every kind, among rows the cross-review pass flags (copies of the same sentences).
    const odd = ['=1+1', 'a "quoted", text\nover two lines', '😊 ñ ＝', ' padded ', 12.5, -0, 0.1 + 0.2, true, null, { k: ['x', 1], ['__proto__']: 'own key' }, ['@', 2]]
    const rows = syntheticRows(3000, 91).map((row, i) => (typeof row === 'object' && row !== null && !Array.isArray(row) ? { ...row, note: odd[i % odd.length] } : row))
    const input = tempFile('dump.jsonl', jsonl(rows))
    const keep = ['note', 'product', 'constructor']
    for (const workers of ['0', '2']) {
      const json = spawnSync(process.execPath, [CLI, 'analyze', input, '--workers', workers, '--chunk-size', '200', '--keep', keep.join(','), '--quiet'], { cwd: root, maxBuffer: 256 * 1024 * 1024 })
      const out = join(tempDir(), 'r.csv')
      const csv = run(['analyze', input, '--workers', workers, '--chunk-size', '200', '--keep', keep.join(','), '--quiet', '--out', out])
      expect(csv.status, workers).toBe(0)
      const resultLines = json.stdout.toString('utf8').split('\n').slice(0, -1)
      expect(resultLines.join('\n'), workers).toMatch(/"type":"duplicate"/)
      const expected = `\uFEFF${csvHeader(keep)}\n${resultLines.map((l) => `${csvLine(JSON.parse(l) as ResultRow, keep)}\n`).join('')}`
      expect(readFileSync(out).equals(Buffer.from(expected)), workers).toBe(true)
    }
  })

  it('runs stdin of a few thousand rows in-process, and --workers 0 any input, with the bytes of two workers', () => {
    const input = jsonl(syntheticRows(2500, 77))
    const piped = run(['analyze', '-'], input)
    expect(piped.status).toBe(0)
    expect(piped.stderr).toMatch(/^recensio: 2,500 rows → stdout in [\d.]+ s \([\d,]+ rows\/s, in-process\)\n/)
    const two = run(['analyze', '-', '--workers', '2', '--quiet'], input)
    expect(two.stdout).toBe(piped.stdout)
    const path = tempFile('zero.jsonl', input)
    const zero = run(['analyze', path, '--workers', '0'])
    expect(zero.stderr).toMatch(/, in-process\)\n/)
    expect(zero.stdout).toBe(piped.stdout)
  })

  it('writes the same bytes for 1 and 2 workers and chunk sizes 1, 7 and 256', () => {
    const path = tempFile('d.jsonl', `${jsonl(syntheticRows(200, 4242))}{"id":"cut","text":"no newline`)
    const outputs = new Set<string>()
    for (const workers of ['1', '2']) {
      for (const chunk of ['1', '7', '256']) {
        const r = run(['analyze', path, '--workers', workers, '--chunk-size', chunk, '--quiet'])
        expect(r.status).toBe(0)
        expect(lines(r.stdout)).toHaveLength(201)
        outputs.add(r.stdout)
      }
    }
    expect(outputs.size).toBe(1)
  })
})

describe('recensio analyze: a full disk', () => {
  const linux = process.platform === 'linux' && existsSync('/dev/full')

  it.runIf(linux)('says in one line that --out or stdout cannot be written, and exits 1', () => {
    const input = tempFile('full.jsonl', FIXTURE)
    const out = run(['analyze', input, '--out', '/dev/full', '--quiet'])
    expect(out.status).toBe(1)
    expect(out.stderr).toBe('recensio: cannot write /dev/full: no space left on device (ENOSPC)\n')
    // `> /dev/full` in a shell: stdout is the device.
    const fd = openSync('/dev/full', 'w')
    try {
      const shell = spawnSync(process.execPath, [CLI, 'analyze', input, '--quiet'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' })
      expect(shell.status).toBe(1)
      expect(shell.stderr).toBe('recensio: cannot write to stdout: no space left on device (ENOSPC)\n')
    } finally {
      closeSync(fd)
    }
    const summary = run(['analyze', input, '--out', join(tempDir(), 'out.jsonl'), '--summary-json', '/dev/full', '--quiet'])
    expect(summary.status).toBe(1)
    expect(summary.stderr).toMatch(/^recensio: cannot write the summary to \/dev\/full: no space left on device \(ENOSPC\)$/m)
  })

  it.runIf(linux)('leaves nothing under the output name when a file cannot grow', () => {
    // A file size limit (with SIGXFSZ ignored) fails the write with EFBIG, as a full disk fails it with ENOSPC.
    const dir = tempDir()
    const input = tempFile('grow.jsonl', jsonl(syntheticRows(300, 31)))
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 8; exec "${process.execPath}" "${CLI}" analyze "${input}" --out "${join(dir, 'out.jsonl')}" --quiet`], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(`recensio: cannot write ${join(dir, 'out.jsonl')}: file too large (EFBIG)\n`)
    expect(readdirSync(dir)).toEqual([])
  })

  it.runIf(linux)('says in one line that the temporary results file cannot grow, and exits 1', () => {
    // Past 8 MB of results a batch keeps them in a temporary file until it ends: that file hits the limit.
    const input = tempFile('spill.jsonl', jsonl(Array.from({ length: 20000 }, (_, i) => ({ id: `s${i}`, text: `Ottimo prodotto ${i}, arrivato presto` }))))
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 8; exec "${process.execPath}" "${CLI}" analyze "${input}" --out /dev/null --quiet --workers 1`], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^recensio: cannot write a temporary file in .+ \(file too large\): a batch keeps its results on disk until it ends; set TMPDIR to a folder with room\n$/)
  })
})

describe('recensio analyze - with stdin a terminal', () => {
  // util-linux `script` runs the command on a pseudo-terminal, as a user at a prompt would.
  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0

  it.skipIf(!hasScript)('says it reads the terminal, then reads it to Ctrl-D', async () => {
    const child = spawn('script', ['-qec', `"${process.execPath}" "${CLI}" analyze -`, '/dev/null'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    for (let i = 0; i < 100 && !out.includes('Ctrl-D'); i++) await new Promise((r) => setTimeout(r, 20))
    expect(out).toMatch(/^recensio: reading reviews from the terminal \(stdin\): type or paste JSON Lines or CSV, then Ctrl-D/)
    child.stdin.write('{"id":"t1","text":"Ottimo prodotto"}\n')
    await new Promise((r) => setTimeout(r, 200))
    child.stdin.write('\x04')
    expect(await done).toBe(0)
    expect(out).toContain('"id":"t1","ok":true')
  })
})

describe('recensio analyze: interruptions', () => {
  function start(args: string[]) {
    const child = spawn(process.execPath, [CLI, 'analyze', '-', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const done = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(signal === null ? code : null)))
    return { child, done, out: () => stdout, err: () => stderr }
  }

  it('on Ctrl-C writes the rows read so far as a valid file and says so (exit 130)', async () => {
    const out = join(tempDir(), 'partial.jsonl')
    const p = start(['--out', out, '--workers', '1'])
    // stdin stays open, so the run is still reading when the signal comes.
    // The rows read count, even short of a full chunk; the line being read does not.
    p.child.stdin.write(`${jsonl(syntheticRows(150, 5))}{"id":"half","te`)
    await new Promise((r) => setTimeout(r, 1500))
    p.child.kill('SIGINT')
    expect(await p.done).toBe(130)
    const rows = lines(readFileSync(out, 'utf8')) as { row: number }[]
    expect(rows).toHaveLength(150)
    expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1))
    expect(p.err()).toMatch(/interrupted: the output holds the first [\d,]+ rows only/)
    expect(readdirSync(dirname(out))).toEqual(['partial.jsonl'])
  })

  it('on Ctrl-C leaves a whole gzip file of the rows read so far when --out ends in .gz', async () => {
    const out = join(tempDir(), 'partial.jsonl.gz')
    const p = start(['--out', out, '--workers', '1'])
    p.child.stdin.write(`${jsonl(syntheticRows(150, 5))}{"id":"half","te`)
    await new Promise((r) => setTimeout(r, 1500))
    p.child.kill('SIGINT')
    expect(await p.done).toBe(130)
    const rows = lines(gunzipSync(readFileSync(out)).toString('utf8')) as { row: number }[]
    expect(rows).toHaveLength(150)
    expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1))
    expect(readdirSync(dirname(out))).toEqual(['partial.jsonl.gz'])
  })

  it('on a second Ctrl-C quits at once and leaves no file behind', async () => {
    const dir = tempDir()
    const out = join(dir, 'results.jsonl')
    const p = start(['--out', out, '--workers', '1'])
    p.child.stdin.write(jsonl(syntheticRows(1000, 9)))
    await new Promise((r) => setTimeout(r, 1000))
    p.child.kill('SIGINT')
    await new Promise((r) => setTimeout(r, 20))
    p.child.kill('SIGINT')
    expect(await p.done).toBe(130)
    expect(readdirSync(dir)).toEqual([])
    // Only the first signal's line: the writes the discard cut short are not failures.
    expect(p.err()).toBe('recensio: stopping; the rows finished so far are being written (Ctrl-C again to quit at once)\n')
  })

  it('on SIGTERM says how to quit at once without speaking of Ctrl-C (exit 143)', async () => {
    // A supervisor (systemd, a container runtime) stops a pipeline step with SIGTERM, then SIGKILL.
    const p = start(['--quiet', '--workers', '1'])
    p.child.stdin.write(jsonl(syntheticRows(20, 5)))
    await new Promise((r) => setTimeout(r, 800))
    p.child.kill('SIGTERM')
    expect(await p.done).toBe(143)
    expect(lines(p.out())).toHaveLength(20)
    expect(p.err()).toMatch(/^recensio: stopping \(SIGTERM\); the rows finished so far are being written \(another SIGTERM or Ctrl-C quits at once\)\n/)
  })

  it('says so when a signal stops it before the batch starts', async () => {
    // A supervisor stops a step still waiting for its pipe: exit 143, and a line saying nothing was written.
    const p = start(['--quiet'])
    await new Promise((r) => setTimeout(r, 500))
    p.child.kill('SIGTERM')
    expect(await p.done).toBe(143)
    expect(p.out()).toBe('')
    expect(p.err()).toBe('recensio: interrupted (SIGTERM) before the batch started: nothing was written\n')
  })

  it('writes --summary-json as failed when a signal stops it before the batch starts', async () => {
    const summary = join(tempDir(), 'summary.json')
    writeFileSync(summary, '{"rows": 1000}\n')
    const p = start(['--quiet', '--summary-json', summary])
    await new Promise((r) => setTimeout(r, 500))
    p.child.kill('SIGINT')
    expect(await p.done).toBe(130)
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toEqual({ failed: true, exitCode: 130, error: 'interrupted (SIGINT) before the batch started: nothing was written' })
    expect(readdirSync(dirname(summary))).toEqual(['summary.json'])
  })

  it('never leaves a half-written file under the output name when killed', async () => {
    const dir = tempDir()
    const out = join(dir, 'results.jsonl')
    const p = start(['--out', out])
    p.child.stdin.write(jsonl(syntheticRows(50, 6)))
    await new Promise((r) => setTimeout(r, 800))
    p.child.kill('SIGKILL')
    await p.done
    expect(existsSync(out)).toBe(false)
  })

  it('exits 130 on Ctrl-C when the reader of stdout has gone too', async () => {
    // Ctrl-C in a terminal stops the whole pipeline: the reader (jq, head) is gone when the rows are written.
    const p = start(['--quiet', '--workers', '1'])
    p.child.stdin.write(jsonl(syntheticRows(150, 5)))
    p.child.stdout.destroy()
    await new Promise((r) => setTimeout(r, 1000))
    p.child.kill('SIGINT')
    expect(await p.done).toBe(130)
    expect(p.err()).not.toMatch(/unexpected error|EPIPE/)
  })

  it('finishes with exit 0 when the reader of stderr goes away', async () => {
    // A log collector that died (2>&1 | logger) must not turn a finished run into a failed one.
    const out = join(tempDir(), 'results.jsonl')
    const child = spawn(process.execPath, [CLI, 'analyze', tempFile('in.jsonl', FIXTURE), '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr.destroy()
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    expect(code).toBe(0)
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(4)
  })

  it('ends quietly when the reader of stdout goes away', async () => {
    const path = tempFile('many.jsonl', jsonl(syntheticRows(3000, 8)))
    const child = spawn(process.execPath, [CLI, 'analyze', path, '--quiet', '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    expect(code).toBe(0)
    expect(stderr).not.toMatch(/unexpected error|EPIPE/)
  })

  it('writes --summary-json, marked aborted, when the reader of stdout goes away', async () => {
    // `recensio analyze dump --summary-json s.json | head`: a job reading s.json must not find the last run's.
    const dir = tempDir()
    const summary = join(dir, 'summary.json')
    writeFileSync(summary, '{"rows": 1}\n')
    const path = tempFile('many.jsonl', jsonl(syntheticRows(3000, 8)))
    const child = spawn(process.execPath, [CLI, 'analyze', path, '--quiet', '--workers', '1', '--summary-json', summary], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
    expect(code).toBe(0)
    const written = JSON.parse(readFileSync(summary, 'utf8')) as { aborted: boolean; rows: number }
    expect(written.aborted).toBe(true)
    expect(written.rows).toBeLessThan(3000)
  })
})
