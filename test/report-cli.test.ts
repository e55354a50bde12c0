/**
 * `recensio report` as users run it: the built binary, its exit codes, what
 * it writes and what it says on stderr.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const cli = resolve(root, 'dist/cli.js')

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, 'report', ...args], { cwd: root, encoding: 'utf8', input })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function resultsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'recensio-report-cli-'))
  const row = (id: string, rating: number, nps: number) => ({
    id,
    ok: true,
    row: Number(id.slice(1)),
    language: { code: 'en', confidence: 0.9, source: 'detected' },
    sentiment: { score: 0.4, label: 'positive', stars: 4, confidence: 0.7 },
    journey: [],
    authenticity: { fakeScore: 0, verdict: 'genuine', signals: [] },
    rating,
    date: '2024-05-01T00:00:00.000Z',
    survey: { nps },
  })
  const path = join(dir, 'results.jsonl')
  writeFileSync(path, `${[row('r1', 5, 10), row('r2', 2, 3)].map((r) => JSON.stringify(r)).join('\n')}\n`)
  return path
}

describe('recensio report', () => {
  it('prints its usage with --help', () => {
    const r = run(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: recensio report/)
  })

  it('exits 2 without an input file, or with an empty path, in one line', () => {
    const r = run([])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("recensio report: missing the input file (a results file or a dump, or - for stdin)\nTry 'recensio report --help'.\n")
    const empty = run([''])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toBe('recensio report: an input path is empty ("")\nTry \'recensio report --help\'.\n')
  })

  it('refuses an output that names an input, or --out and --json naming one file, before any work', () => {
    const file = resultsFile()
    const before = readFileSync(file, 'utf8')
    const over = run([file, '--out', file])
    expect(over.code).toBe(2)
    expect(over.stderr).toBe(`recensio report: --out ${file} is an input file: the report would replace it; choose another name\n`)
    expect(run([file, '--json', file, '--out', '-']).stderr).toContain(`--json ${file} is an input file`)
    expect(readFileSync(file, 'utf8')).toBe(before)
    const both = join(dirname(file), 'both.html')
    const same = run([file, '--out', both, '--json', both])
    expect(same.code).toBe(2)
    expect(same.stderr).toContain(`--out and --json both name ${both}`)
    expect(existsSync(both)).toBe(false)
  })

  it('says in one line when stdin cannot be copied to a temporary folder', () => {
    const input = readFileSync(resultsFile(), 'utf8')
    const r = spawnSync(process.execPath, [cli, 'report', '-', '--json', '-', '--out', '-'], { cwd: root, encoding: 'utf8', input, env: { ...process.env, TMPDIR: '/nonexistent-recensio-tmp' } })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^recensio report: cannot write a temporary file in \/nonexistent-recensio-tmp \(no such file or directory \(ENOENT\)\): the report keeps a copy of stdin/)
    expect(r.stderr.split('\n')).toHaveLength(2)
  })

  it('takes several files, with --out or --json', () => {
    const file = resultsFile()
    const r = run([file, file, '--quiet'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('with several inputs, the report needs --out report.html or --json report.json')
    const two = run([file, file, '--json', '-', '--out', '-', '--quiet'])
    expect(two.code).toBe(0)
    const one = run([file, '--json', '-', '--out', '-', '--quiet'])
    expect((JSON.parse(two.stdout) as { totals: { rows: number } }).totals.rows).toBe(2 * (JSON.parse(one.stdout) as { totals: { rows: number } }).totals.rows)
  })

  it('exits 2 naming a missing file', () => {
    const r = run(['nowhere.jsonl', '--quiet'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('recensio report: cannot read nowhere.jsonl: no such file\n')
  })

  it('exits 2 on a bad option value', () => {
    const r = run([resultsFile(), '--ces-direction', 'sideways'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--ces-direction')
    // One line, and the pointer to the help that every bad flag gets.
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^recensio report: --ces-direction: /), "Try 'recensio report --help'."])
  })

  it('refuses the CSV that analyze --format csv writes, pointing to the JSONL results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-csv-'))
    const input = join(dir, 'in.jsonl')
    writeFileSync(input, '{"id":"a","text":"Muy bueno, llegó rápido"}\n{"id":"b","text":"Pessimo"}\n')
    const csv = join(dir, 'results.csv')
    const made = spawnSync(process.execPath, [cli, 'analyze', input, '--out', csv, '--quiet'], { encoding: 'utf8' })
    expect(made.status).toBe(0)
    const r = run([csv, '--quiet'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^recensio report: .*results\.csv holds recensio results as CSV.*--out results\.jsonl/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('writes the JSON report to stdout with --json -, and only there', () => {
    const input = resultsFile()
    const r = run([input, '--json', '-', '--out', '-'])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as { totals: { ok: number } }
    expect(report.totals.ok).toBe(2)
    expect(r.stderr).toMatch(/→ stdout\n$/)
    expect(existsSync(join(root, '-'))).toBe(false)
    expect(existsSync(join(input, '..', '-'))).toBe(false)
  })

  it('exits 2 naming an unknown field or a malformed pair in --map, as analyze does', () => {
    const unknown = run([resultsFile(), '--map', 'body=texto', '--json', '-'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^recensio report: --map: unknown field "body" \(fields: id, text, /)
    const bare = run([resultsFile(), '--map', 'text', '--json', '-'])
    expect(bare.code).toBe(2)
    expect(bare.stderr).toBe('recensio report: --map: expected field=column, got "text"\nTry \'recensio report --help\'.\n')
  })

  it('exits 2 with one line and a hint for an unknown flag or a bad --workers', () => {
    const unknown = run([resultsFile(), '--colour'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^recensio report: Unknown option '--colour'\nTry 'recensio report --help'\.\n$/)
    // A typo gets the nearest flag; a flag of analyze alone says where it belongs.
    expect(run([resultsFile(), '--tittle', 'Q1']).stderr).toMatch(/^recensio report: Unknown option '--tittle' \(did you mean --title\?\)\n/)
    expect(run([resultsFile(), '--taxonomy', 'restaurant.json']).stderr).toMatch(
      /^recensio report: Unknown option '--taxonomy' \(an option of recensio analyze: analyze the dump with it, then report the results file\)\n/,
    )
    // A negative number too (node's parseArgs alone calls the flag "ambiguous").
    for (const bad of ['abc', '1.5', '-1']) {
      const workers = run([resultsFile(), '--workers', bad])
      expect(workers.code).toBe(2)
      expect(workers.stderr).toBe(`recensio report: --workers: expected a whole number ≥ 0, got "${bad}"\nTry 'recensio report --help'.\n`)
    }
  })

  it.skipIf(process.platform === 'win32')('reads a pipe given by its name (report <(zcat …), a FIFO) as stdin, and refuses it among several inputs', async () => {
    const file = resultsFile()
    const dir = dirname(file)
    const fifo = join(dir, 'results.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const writer = spawn('sh', ['-c', `cat "${file}" > "${fifo}"`])
    const out = join(dir, 'piped.html')
    const child = spawn(process.execPath, [cli, 'report', fifo, '--out', out], { cwd: root })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((done) => child.on('close', done))
    writer.kill()
    expect(stderr).not.toMatch(/unexpected error/)
    expect(code).toBe(0)
    expect(stderr).toMatch(/recensio report: 2 reviews \(0 error rows\), 0 flagged, from a results file/)
    expect(readFileSync(out, 'utf8')).toContain('<svg')
    // Without --out there is no file to name the report after, as for stdin; among files it cannot be read twice.
    const alone = run([fifo])
    expect(alone.code).toBe(2)
    expect(alone.stderr).toMatch(/reading .*results\.fifo, a pipe, the report needs --out report\.html or --json report\.json/)
    const among = run([fifo, file, '--out', join(dir, 'two.html')])
    expect(among.code).toBe(2)
    expect(among.stderr).toMatch(/results\.fifo is a pipe, which cannot be one of several inputs: save it to a file, or give it alone/)
  })

  it('says what a refused option value was', () => {
    const r = run([resultsFile(), '--ces-direction', 'up'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`recensio report: --ces-direction: expected higher_is_easier or lower_is_easier, got "up"\nTry 'recensio report --help'.\n`)
    // Each choice in analyze's words, the flag named (not the option it sets).
    for (const [flag, value, expected] of [
      ['--date-order', 'ymd', 'mdy or dmy'],
      ['--encoding', 'utf16', 'utf-8, utf8, windows-1252 or latin1'],
      ['--lang', 'fr', 'es, it or en'],
      ['--input-format', 'xml', 'jsonl, json or csv'],
    ] as const) {
      const bad = run([resultsFile(), flag, value])
      expect(bad.code, flag).toBe(2)
      expect(bad.stderr, flag).toBe(`recensio report: ${flag}: expected ${expected}, got "${value}"\nTry 'recensio report --help'.\n`)
    }
  })

  it('warns, as analyze does, when the CSV header of a dump names a column twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-twice-'))
    const dump = join(dir, 'twice.csv')
    writeFileSync(dump, 'id;text;text\n1;Ottimo prodotto;Pessimo\n')
    const r = run([dump, '--json', '-'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`recensio report: warning: the CSV header of ${dump} names "text" more than once`)
  })

  it('says why when every row of a dump is an error row, naming the first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-all-errors-'))
    const dump = join(dir, 'api.json')
    writeFileSync(dump, JSON.stringify({ data: { items: [{ id: 'a', body: 'Great', user: { link: 'u/ana' } }, { id: 'b', body: 'Bad', user: { link: 'u/bo' } }] } }))
    const out = join(dir, 'api.html')
    const r = run([dump, '--out', out])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('recensio report: warning: no row could be analyzed: all 2 rows are error rows; the first: row 1 (id a), field "author": expected a string, got an object')
    expect(readFileSync(out, 'utf8')).toContain('no row could be analyzed')
    const fine = run([dump, '--out', out, '--map', 'author=user.link'])
    expect(fine.stderr).not.toContain('no row could be analyzed')
  })

  it('says "its one row", not "all 1 row are", when a one-row dump is an error row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-one-error-'))
    const dump = join(dir, 'one.jsonl')
    writeFileSync(dump, '{"id":"a","rating":5}\n')
    const r = run([dump, '--out', join(dir, 'one.html')])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('recensio report: warning: no row could be analyzed: its one row is an error row: row 1 (id a), field "text": text is required')
  })

  it('says on stderr what the page notes, such as a --group-by field no row has', () => {
    const input = resultsFile()
    const r = run([input, '--group-by', 'country', '--json', '-'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).notes).toEqual([expect.stringContaining('"country"')])
    expect(r.stderr).toMatch(/^recensio report: note: No row carries the field "country": keep it when analyzing \(--keep country\) to break figures down by it\.\nrecensio report: 2 reviews/)
    expect(run([input, '--json', '-']).stderr).not.toMatch(/note:/)
  })

  it('writes the HTML next to a results file and the JSON where asked', () => {
    const input = resultsFile()
    const json = join(input, '..', 'report.json')
    const r = run([input, '--json', json, '--title', 'May'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^recensio report: 2 reviews \(0 error rows\), 0 flagged, from a results file in \d+ ms → .*results\.html and .*report\.json\n$/)
    const html = join(input, '..', 'results.html')
    expect(existsSync(html)).toBe(true)
    expect(readFileSync(html, 'utf8')).toContain('<title>May</title>')
    const report = JSON.parse(readFileSync(json, 'utf8'))
    expect(report.overall.nps).toMatchObject({ n: 2, promoters: 1, detractors: 1, score: 0 })
  })

  it('reads a results file or an input dump from stdin, writing where --out and --json say', () => {
    const results = readFileSync(resultsFile(), 'utf8')
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-stdin-'))
    const json = join(dir, 'report.json')
    const fromResults = run(['-', '--json', json, '--quiet'], results)
    expect(fromResults.code).toBe(0)
    const report = JSON.parse(readFileSync(json, 'utf8'))
    expect(report.source).toEqual({ kind: 'results', file: 'stdin' })
    expect(report.overall.nps).toMatchObject({ n: 2, promoters: 1, detractors: 1 })

    const spam = 'Great deal!!! Buy now at cheap-pills.example.com and use code SAVE50 for 50% off, visit cheap-pills.example.com'
    const dump = ['id,rating,text', `s1,5,"${spam}"`, 's2,4,"Solid kettle, boils fast and the handle stays cool."'].join('\n')
    const html = join(dir, 'dump.html')
    const fromDump = run(['-', '--out', html, '--json', json, '--quiet'], `${dump}\n`)
    expect(fromDump.code).toBe(0)
    expect(existsSync(html)).toBe(true)
    const dumpReport = JSON.parse(readFileSync(json, 'utf8'))
    expect(dumpReport.source).toEqual({ kind: 'input', file: 'stdin' })
    expect(dumpReport.totals.ok).toBe(2)
    expect(dumpReport.authenticity.flagged.find((f: { id: string }) => f.id === 's1')?.text).toBe(spam)
  })

  it('leaves no copy of stdin behind when stopped by Ctrl-C while it reads', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'recensio-report-sigint-'))
    const out = join(tmp, 'out')
    const child = spawn(process.execPath, [cli, 'report', '-', '--out', join(out, 'r.html')], { cwd: root, env: { ...process.env, TMPDIR: tmp }, stdio: ['pipe', 'ignore', 'pipe'] })
    // A stream that has not ended: the copy is under way.
    child.stdin.write('{"id":"s1","text":"Ottimo prodotto, consigliato"}\n')
    for (let i = 0; i < 100 && readdirSync(tmp).filter((n) => n.startsWith('recensio-report-')).length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(readdirSync(tmp).some((n) => n.startsWith('recensio-report-'))).toBe(true)
    child.kill('SIGINT')
    const signal = await new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, s) => r(s)))
    expect(signal).toBe('SIGINT')
    expect(readdirSync(tmp)).toEqual([])
  })

  it('asks for --out or --json when reading stdin', () => {
    const r = run(['-'], '')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('recensio report: reading stdin (-), the report needs --out report.html or --json report.json: there is no input file to name it after\n')
  })

  it('shows the texts of flagged reviews from tab-separated dumps and from columns past the header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-columns-'))
    const spam = 'Great deal!!! Buy now at cheap-pills.example.com and use code SAVE50 for 50% off, visit cheap-pills.example.com'
    const tsv = join(dir, 'dump.tsv')
    writeFileSync(tsv, `review id\trating\tbody\nt1\t5\t${spam}\nt2\t4\tSolid kettle, boils fast.\n`)
    const json = join(dir, 'tsv.json')
    expect(run([tsv, '--map', 'id=review id,text=body', '--json', json, '--quiet']).code).toBe(0)
    const fromTsv = JSON.parse(readFileSync(json, 'utf8'))
    expect(fromTsv.authenticity.flagged.find((f: { id: string }) => f.id === 't1')?.text).toBe(spam)

    const csv = join(dir, 'ragged.csv')
    writeFileSync(csv, `id,rating\nc1,5,"${spam}"\nc2,4,"Solid kettle, boils fast."\n`)
    const json2 = join(dir, 'ragged.json')
    expect(run([csv, '--map', 'text=column_3', '--json', json2, '--quiet']).code).toBe(0)
    const ragged = JSON.parse(readFileSync(json2, 'utf8'))
    expect(ragged.authenticity.flagged.find((f: { id: string }) => f.id === 'c1')?.text).toBe(spam)
  })

  it('reads a results file saved again as UTF-16, as a results file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-utf16-'))
    const utf8 = resultsFile()
    const results = join(dir, 'results.jsonl')
    writeFileSync(results, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(utf8, 'utf8'), 'utf16le')]))
    const json = (path: string) => {
      const r = run([path, '--json', '-', '--quiet'])
      expect(r.code).toBe(0)
      const report = JSON.parse(r.stdout) as { source: { kind: string }; totals: unknown; generatedAt?: unknown }
      return { kind: report.source.kind, totals: report.totals }
    }
    expect(json(results)).toEqual(json(utf8))
    expect(json(results).kind).toBe('results')
  })

  it('reads gzip-compressed results files and dumps, naming the page after the file without .gz', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-gz-'))
    const results = join(dir, 'results.jsonl.gz')
    writeFileSync(results, gzipSync(readFileSync(resultsFile())))
    const r = run([results, '--json', join(dir, 'r.json'), '--quiet'])
    expect(r.code).toBe(0)
    expect(existsSync(join(dir, 'results.html'))).toBe(true)
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).source.kind).toBe('results')

    const spam = 'Great deal!!! Buy now at cheap-pills.example.com and use code SAVE50 for 50% off, visit cheap-pills.example.com'
    const dump = join(dir, 'dump.csv.gz')
    writeFileSync(dump, gzipSync(`id\ttext\ng1\t${spam}\ng2\tSolid kettle, boils fast.\n`))
    expect(run([dump, '--json', join(dir, 'd.json'), '--quiet']).code).toBe(0)
    expect(existsSync(join(dir, 'dump.html'))).toBe(true)
    const report = JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8'))
    expect(report.source.kind).toBe('input')
    expect(report.authenticity.flagged.find((f: { id: string }) => f.id === 'g1')?.text).toBe(spam)
  })

  it('writes the JSON and the HTML gzip-compressed when their names end in .gz', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-gzout-'))
    const r = run([resultsFile(), '--out', join(dir, 'r.html.gz'), '--json', join(dir, 'r.json.gz'), '--quiet'])
    expect(r.code).toBe(0)
    expect(JSON.parse(gunzipSync(readFileSync(join(dir, 'r.json.gz'))).toString('utf8')).totals.ok).toBe(2)
    expect(gunzipSync(readFileSync(join(dir, 'r.html.gz'))).toString('utf8')).toMatch(/^<!doctype html>/i)
  })

  it('reports the rows of a cut-off compressed results file, and says in its notes that it is cut off', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-cut-'))
    const line = readFileSync(resultsFile(), 'utf8').split('\n')[0]!
    const many = Array.from({ length: 400 }, (_, k) => line.replace('"id":"r1"', `"id":"r${k}"`)).join('\n')
    const packed = gzipSync(`${many}\n`)
    const results = join(dir, 'results.jsonl.gz')
    writeFileSync(results, packed.subarray(0, Math.floor(packed.length * 0.7)))
    const r = run([results, '--out', '-', '--json', join(dir, 'r.json'), '--quiet'])
    expect(r.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))
    expect(report.source.kind).toBe('results')
    expect(report.totals.ok).toBeGreaterThan(0)
    expect(report.totals.ok).toBeLessThan(400)
    expect(report.notes.join(' ')).toMatch(/results\.jsonl\.gz is cut off/)
  })

  it('reports every row of a compressed file with trailing data, and says the trailing data was ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-trailing-'))
    const results = join(dir, 'results.jsonl.gz')
    writeFileSync(results, Buffer.concat([gzipSync(readFileSync(resultsFile())), Buffer.from('junk\n')]))
    const r = run([results, '--out', '-', '--json', join(dir, 'r.json')])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^recensio report: warning: .*results\.jsonl\.gz has trailing data after its compressed data \(from byte \d+\), which was ignored\n/)
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))
    expect(report.totals.ok).toBe(2)
    expect(report.notes.join(' ')).toMatch(/results\.jsonl\.gz has trailing data after its compressed data/)

    const dump = join(dir, 'dump.jsonl.gz')
    writeFileSync(dump, Buffer.concat([gzipSync('{"id":"d1","text":"Ottimo"}\n{"id":"d2","text":"Pessimo"}\n'), Buffer.from('junk\n')]))
    const d = run([dump, '--out', '-', '--json', join(dir, 'd.json')])
    expect(d.code).toBe(0)
    expect(d.stderr).toMatch(/warning: .*dump\.jsonl\.gz has trailing data/)
    expect(JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8')).totals.ok).toBe(2)
  })

  it.runIf(process.platform === 'linux' && existsSync('/dev/full'))('says in one line that a full disk stops the report, exits 1 and leaves nothing', () => {
    const full = run([resultsFile(), '--out', '/dev/full'])
    expect(full.code).toBe(1)
    expect(full.stderr).toBe('recensio report: cannot write /dev/full: no space left on device (ENOSPC)\n')
    const fd = openSync('/dev/full', 'w')
    try {
      const shell = spawnSync(process.execPath, [cli, 'report', resultsFile(), '--out', '-', '--json', '-'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' })
      expect(shell.status).toBe(1)
      expect(shell.stderr).toBe('recensio report: cannot write to stdout: no space left on device (ENOSPC)\n')
    } finally {
      closeSync(fd)
    }
    // A file that cannot grow (a size limit, SIGXFSZ ignored) is not left half-written under its name.
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-full-'))
    const html = join(dir, 'report.html')
    const limited = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 8; exec "${process.execPath}" "${cli}" report "${resultsFile()}" --out "${html}"`], { encoding: 'utf8' })
    expect(limited.status).toBe(1)
    expect(limited.stderr).toBe(`recensio report: cannot write ${html}: file too large (EFBIG)\n`)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses an output it cannot write before any work, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-paths-'))
    const folder = run([resultsFile(), '--out', `${dir}/`])
    expect(folder.code).toBe(2)
    expect(folder.stderr).toBe(`recensio report: cannot write the report to ${dir}/: it is a folder\n`)
    const json = run([resultsFile(), '--json', dir])
    expect(json.code).toBe(2)
    expect(json.stderr).toBe(`recensio report: cannot write the report to ${dir}: it is a folder\n`)
    // Nothing under /proc can be made (a recursive mkdir there never returned).
    const proc = spawnSync(process.execPath, [cli, 'report', resultsFile(), '--out', '/proc/recensio-none/r.html'], { cwd: root, encoding: 'utf8', timeout: 20_000 })
    expect(proc.status).toBe(2)
    expect(proc.stderr).toBe('recensio report: cannot write the report to /proc/recensio-none/r.html: no such file\n')
  })

  it('names stdin, not its temporary copy, and refuses a directory in one line', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)])
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-names-'))
    const fromStdin = spawnSync(process.execPath, [cli, 'report', '-', '--json', join(dir, 'r.json')], { cwd: root, input: png, encoding: 'utf8' })
    expect(fromStdin.status).toBe(2)
    expect(fromStdin.stderr).toBe('recensio report: stdin: not a JSON Lines, JSON, CSV or .xlsx file: it looks like a PNG image\n')
    const folder = run([dir])
    expect(folder.code).toBe(2)
    expect(folder.stderr).toBe(`recensio report: ${dir} is a directory, not a file\n`)
  })

  it('says, as analyze does, when dates of a dump only read the other way round', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-dates-'))
    const input = join(dir, 'dates.csv')
    writeFileSync(input, 'Date;Review\n05/03/2024;Llegó roto\n14/03/2024;Muy bueno\n20/03/2024;Perfecto\n')
    const r = run([input, '--out', join(dir, 'r.html')])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('2 rows have dates that only read day first (the first: row 2, "14/03/2024"): if the file writes dates day first, run again with --date-order dmy')
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('run again with --date-order dmy')
    const right = run([input, '--out', join(dir, 'r2.html'), '--date-order', 'dmy'])
    expect(right.stderr).not.toContain('only read')
  })

  it('names, as analyze does, the --map keys no JSON row of a dump has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-map-'))
    const input = join(dir, 'keys.jsonl')
    writeFileSync(input, '{"id":"a","text":"Muy bueno","user":{"name":"ana"},"stars":5}\n{"id":"b","text":"Malo","stars":1}\n')
    const line = 'no row has the keys "user.nmae" (--map author=user.nmae), "sku" (--map product=sku), so left empty'
    const r = run([input, '--out', join(dir, 'r.html'), '--map', 'author=user.nmae,product=sku,rating=stars'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`recensio report: warning: ${line}\n`)
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain(`<li>${line.replaceAll('"', '&#34;')}.</li>`)
    // --quiet: nothing on stderr, still on the page.
    const quiet = run([input, '--out', join(dir, 'q.html'), '--map', 'author=user.nmae,product=sku,rating=stars', '--quiet'])
    expect(quiet.stderr).toBe('')
    expect(readFileSync(join(dir, 'q.html'), 'utf8')).toContain(`<li>${line.replaceAll('"', '&#34;')}.</li>`)
    const right = run([input, '--out', join(dir, 'ok.html'), '--map', 'author=user.name,rating=stars'])
    expect(right.stderr).not.toContain('no row has')
  })

  it('says in --help what --quiet keeps on stderr, for report and analyze alike, as each behaves', () => {
    expect(run(['--help']).stdout).toMatch(/-q, --quiet +no progress line, summary, warnings or notes on\n +stderr \(the page keeps the warnings and notes\);\n +errors are still printed\n/)
    const analyzeHelp = spawnSync(process.execPath, [cli, 'analyze', '--help'], { encoding: 'utf8' }).stdout
    expect(analyzeHelp).toMatch(/-q, --quiet +no progress line \(the summary and warnings are\n +still printed\)\n/)
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-quiet-'))
    const input = join(dir, 'keys.jsonl')
    writeFileSync(input, '{"id":"a","text":"Muy bueno","user":{"name":"ana"},"stars":5}\n{"id":"b","text":"Malo","stars":1}\n')
    const warning = 'no row has the key "user.nmae" (--map author=user.nmae), so left empty'
    const analyzed = spawnSync(process.execPath, [cli, 'analyze', input, '--map', 'author=user.nmae', '--quiet'], { encoding: 'utf8' })
    expect(analyzed.stderr).toMatch(/^recensio: 2 rows → stdout in /)
    expect(analyzed.stderr).toContain(warning)
    expect(run([input, '--out', join(dir, 'r.html'), '--map', 'author=user.nmae', '--quiet']).stderr).toBe('')
    expect(run([join(dir, 'nowhere.jsonl'), '--quiet']).stderr).toMatch(/^recensio report: cannot read .*nowhere\.jsonl: no such file\n$/)
  })

  it('names the --map columns a CSV dump lacks, and no group-by field as --keep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-map-'))
    const input = join(dir, 'keep.csv')
    writeFileSync(input, 'id,text,stars\n1,Muy bueno,5\n')
    const r = run([input, '--out', join(dir, 'r.html'), '--map', 'rating=overall', '--group-by', 'country'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('recensio report: warning: not in the CSV header, so left empty: "overall" (--map rating=overall)\n')
    expect(r.stderr).not.toContain('(--keep)')
  })

  it('reads a one-line JSON array dump as an input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-array-'))
    const rows = Array.from({ length: 300 }, (_, k) => ({ id: `a${k}`, text: `Review ${k}: the kettle boils fast and the handle stays cool.` }))
    const input = join(dir, 'dump.json')
    writeFileSync(input, JSON.stringify(rows))
    const r = run([input, '--json', join(dir, 'r.json'), '--quiet'])
    expect(r.code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))
    expect(report.source.kind).toBe('input')
    expect(report.totals.ok).toBe(300)
  })
})

describe('recensio report: interruptions', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal} writes no page, says so, and ends by the signal`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'recensio-report-stop-'))
      const out = join(dir, 'report.html')
      const child = spawn(process.execPath, [cli, 'report', '-', '--out', out], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const done = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, s) => resolve(s)))
      // stdin stays open: the dump is still being read when the signal comes.
      child.stdin.write('{"id":"a","text":"Ottimo prodotto"}\n{"id":"b","text":"Pessimo"}\n')
      await new Promise((r) => setTimeout(r, 800))
      child.kill(signal)
      expect(await done).toBe(signal)
      expect(stderr).toContain(`recensio report: interrupted (${signal}): no report was written\n`)
      expect(readdirSync(dir)).toEqual([])
    })
  }
})

describe('recensio report - with stdin a terminal', () => {
  // util-linux `script` runs the command on a pseudo-terminal, as a user at a prompt would.
  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0

  it.skipIf(!hasScript)('says it reads the terminal, then reads it to Ctrl-D', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'recensio-report-tty-')), 'report.json')
    const child = spawn('script', ['-qec', `"${process.execPath}" "${cli}" report - --json "${out}"`, '/dev/null'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (d: Buffer) => (text += d.toString()))
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    for (let i = 0; i < 100 && !text.includes('Ctrl-D'); i++) await new Promise((r) => setTimeout(r, 20))
    expect(text).toMatch(/^recensio report: reading reviews from the terminal \(stdin\): type or paste JSON Lines or CSV, then Ctrl-D/)
    child.stdin.write('{"id":"t1","text":"Ottimo prodotto"}\n')
    await new Promise((r) => setTimeout(r, 200))
    child.stdin.write('\x04')
    expect(await done).toBe(0)
    expect(existsSync(out)).toBe(true)
  })
})
