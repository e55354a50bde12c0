/**
 * The built package as users get it: ESM and CommonJS entry points, the public
 * export list, and an import that prints nothing and loads no network module.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'
import { asciiBuild } from '../scripts/ascii-build.js'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')

// Builtins that would mean network or database access at import time.
const FORBIDDEN = ['net', 'http', 'https', 'http2', 'tls', 'dns', 'dgram']
const MARK = '\u0001probe:'

/** Import the package, then print a probe; anything else on stdout came from the import. */
function probe(type: 'module' | 'commonjs') {
  const head = type === 'module' ? "import * as lib from 'recensio'" : "const lib = require('recensio')"
  const code = `${head}
    const loaded = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))
    const bad = ${JSON.stringify(FORBIDDEN)}.filter((m) => loaded.includes(m))
    process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ exports: Object.keys(lib).sort(), bad }))`
  const out = execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' })
  const at = out.indexOf(MARK)
  return { printed: out.slice(0, at), ...(JSON.parse(out.slice(at + MARK.length)) as { exports: string[]; bad: string[] }) }
}

/** A TypeScript language service over one file beside the tests, importing the built types. */
function languageService(code: string) {
  const file = resolve(root, 'test/__hover__.ts')
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, types: ['node'] }
  const service = ts.createLanguageService({
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const text = name === file ? code : ts.sys.readFile(name)
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text)
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: (name) => (name === file ? code : ts.sys.readFile(name)),
  })
  return { service, file }
}

describe('README for a reader on npm', () => {
  it('says its first commands need a clone, as the package ships neither the sample dump nor the tests', () => {
    const files = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] }).files
    expect(files.filter((f) => f.startsWith('data/sample') || f.startsWith('test'))).toEqual([])
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const beforeFirstCommands = readme.slice(0, readme.indexOf('npm install && npm start'))
    expect(beforeFirstCommands).toMatch(/In a clone of the repository/)
  })
})

describe('built package', () => {
  for (const type of ['module', 'commonjs'] as const) {
    it(`imports as ${type === 'module' ? 'ESM' : 'CommonJS'} without printing or loading network modules`, () => {
      const { printed, exports, bad } = probe(type)
      expect(printed).toBe('')
      expect(bad).toEqual([])
      expect(exports).toEqual([
        'JourneyAggregate',
        'NearDuplicateIndex',
        'RecensioError',
        'analyze',
        'analyzeBatch',
        'analyzeFile',
        'buildReport',
        'csat',
        'customerEffortScore',
        'loadTaxonomyFile',
        'netPromoterScore',
        'parseTaxonomy',
        'renderReportHtml',
        'runReport',
      ])
    })
  }

  it('offers the language codes when a review lang is typed, still taking any string', () => {
    const code = `import { analyze } from '../dist/index.js'
analyze({ text: 'Muy bueno', lang: '' })
analyze({ text: 'Muy bueno', lang: 'es-MX' })
`
    const { service, file } = languageService(code)
    const names = service.getCompletionsAtPosition(file, code.indexOf("lang: '") + 7, {})?.entries.map((e) => e.name)
    expect(names).toEqual(expect.arrayContaining(['es', 'it', 'en']))
    expect(service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })

  it('takes a message with other field names and options typed Options, but no unmapped object without options', () => {
    const code = `import { analyze, type Options } from '../dist/index.js'
const options: Options = { map: { text: 'body' }, lang: 'es' }
const message: { body: string; receivedAt: number } = { body: 'Muy bueno', receivedAt: 1 }
analyze(message, options)
analyze({ body: 'Muy bueno' })
`
    const { service, file } = languageService(code)
    const errors = service.getSemanticDiagnostics(file).map((d) => code.slice(0, d.start).split('\n').length)
    // Line 5 only: without options the object must be a ReviewInput ("body" is no field of it).
    expect(errors).toEqual([5])
  })

  it('refuses an array as a review with options too, as analyze throws invalid_row for one', () => {
    const code = `import { analyze, type Options } from '../dist/index.js'
const options: Options = { map: { text: 'body' } }
analyze(JSON.parse('{"body":"Muy bueno"}'), options)
analyze({ body: 'Muy bueno' } as object, options)
analyze([], {})
analyze(['Muy bueno'], options)
analyze([{ body: 'Muy bueno' }] as const, options)
`
    const { service, file } = languageService(code)
    const errors = service.getSemanticDiagnostics(file).map((d) => code.slice(0, d.start).split('\n').length)
    expect(errors).toEqual([5, 6, 7])
  })

  it('types a review in halves: pros or cons stand for the text, and a review needs one of the three', () => {
    const code = `import { analyze } from '../dist/index.js'
analyze({ pros: 'Ubicación perfecta', cons: 'El desayuno', rating: 4 })
analyze({ cons: 'Camera sporca' })
analyze({ text: 'Bought it for my daughter', pros: 'Great sound' })
analyze({ rating: 4, title: 'Fine' })
const r = analyze({ pros: 'Great sound' })
const halves: 'text' | 'title' | 'pros' | 'cons' = r.journey[0]!.spans[0]!.field
analyze({ text: null, pros: 'Great sound' })
analyze({ text: null })
`
    const { service, file } = languageService(code)
    const errors = service.getSemanticDiagnostics(file).map((d) => code.slice(0, d.start).split('\n').length)
    // Lines 5 and 9: a review with neither a text nor a half is none; a text may be null (none) beside a half.
    expect(errors).toEqual([5, 9])
  })

  it('takes read-only lists (as const) for keep, groupBy and a taxonomy stage\'s cues', () => {
    const code = `import { analyzeFile, buildReport, runReport, type ResultRow } from '../dist/index.js'
const keep = ['order_id', 'channel'] as const
const cues = { en: ['waiting time', 'queue'] } as const
void analyzeFile('reviews.jsonl', { keep, taxonomy: { mode: 'extend', stages: [{ id: 'waiting', label: 'Waiting', cues }] } })
const rows: ResultRow[] = []
void buildReport(rows, { groupBy: keep })
void runReport({ input: 'results.jsonl', groupBy: keep })
`
    const { service, file } = languageService(code)
    expect(service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  })

  it('names in its type declarations no Markdown file the repository lacks', () => {
    const named = [...readFileSync(join(root, 'dist/index.d.ts'), 'utf8').matchAll(/[\w./-]+\.md\b/g)].map((m) => m[0])
    expect(named.filter((file) => !readdirSync(root).includes(file) && !readdirSync(join(root, 'data')).includes(file))).toEqual([])
  })

  it('ships the JSDoc of each option in its type declarations, for hover in editors', () => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
      const dts = readFileSync(resolve(root, file), 'utf8')
      expect(dts).toContain('/** Rows per message to a worker (default 256). */')
      expect(dts).toContain('/** Heading of the page (default "recensio report"). */')
    }
  })

  it('shows the JSDoc of review fields, result fields and taxonomy fields on hover, through the built types', () => {
    const code = `import { analyze } from '../dist/index.js'
const r = analyze({ text: 'Muy bueno', rating: '4/5', date: '2024-03-05', id: 'r1' })
r.sentiment
r.authenticity.verdict
analyze('La comida', { taxonomy: { mode: 'replace', stages: [{ id: 'food', cues: { es: ['comida'] } }] } })
`
    const { service, file } = languageService(code)
    const hover = (word: string, nth = 0): string => {
      let at = -1
      for (let i = 0; i <= nth; i++) at = code.indexOf(word, at + 1)
      const info = service.getQuickInfoAtPosition(file, at)
      return ts.displayPartsToString(info?.documentation)
    }
    expect(hover('text')).toBe('The review body, required (at most `maxTextLength` characters); a review in halves may give `pros` and `cons` instead.')
    expect(hover('rating')).toMatch(/^Stars: `4`, `"4.0"`, `"4\/5"`/)
    expect(hover('date')).toMatch(/^When it was posted: ISO 8601/)
    expect(hover('sentiment')).toBe('Score in -1 … 1, label, 1–5 star estimate and confidence.')
    expect(hover('verdict')).toMatch(/^`genuine`, `suspicious`/)
    expect(hover('mode')).toMatch(/^`extend` \(default\) adds these stages to the default six/)
    expect(hover('cues')).toMatch(/^Words and phrases that tag the stage/)
  })

  it('catches a RecensioError with instanceof across the ESM and CommonJS builds', () => {
    const code = `import { createRequire } from 'node:module'
      import * as esm from 'recensio'
      const cjs = createRequire(import.meta.url)('recensio')
      const caught = (lib) => { try { lib.analyze({ text: 1 }) } catch (e) { return e } }
      const fromEsm = caught(esm)
      const fromCjs = caught(cjs)
      process.stdout.write(JSON.stringify([
        fromCjs instanceof esm.RecensioError, fromEsm instanceof cjs.RecensioError,
        fromEsm instanceof esm.RecensioError, fromCjs instanceof cjs.RecensioError,
        new Error('x') instanceof esm.RecensioError, null instanceof cjs.RecensioError,
        fromEsm instanceof Error, fromCjs.code, fromEsm.constructor.name,
      ]))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual([true, true, true, true, false, false, true, 'invalid_type', 'RecensioError'])
  })

  it('names the RecensioError class in both builds, as stack traces and test runners show it', () => {
    const code = `const { analyze, RecensioError } = require('recensio')
      let error
      try { analyze({ text: 1 }) } catch (e) { error = e }
      process.stdout.write(JSON.stringify([RecensioError.name, error.constructor.name, require('node:util').inspect(error).split(':')[0]]))`
    expect(JSON.parse(execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' }))).toEqual(['RecensioError', 'RecensioError', 'RecensioError'])
  })

  it('gives every exported class and function its name in both builds', () => {
    // The CommonJS build assigns each class to its export, which gives it no name of its own.
    const code = `const cjs = require('recensio')
      import('recensio').then((esm) => {
        const unnamed = (m) => Object.entries(m).filter(([k, v]) => typeof v === 'function' && v.name !== k).map(([k, v]) => k + '=' + JSON.stringify(v.name))
        process.stdout.write(JSON.stringify([unnamed(cjs), unnamed(esm), typeof cjs.NearDuplicateIndex, typeof esm.JourneyAggregate]))
      })`
    expect(JSON.parse(execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' }))).toEqual([[], [], 'function', 'function'])
  })

  it('lets the process end when a run with worker threads is dropped half-read', () => {
    const code = `import { analyzeBatch } from 'recensio'
      function* reviews() { for (let i = 0; i < 3000; i++) yield { id: String(i), text: 'Llegó rápido y funciona muy bien ' + i } }
      const run = analyzeBatch(reviews(), { workers: 2, window: 1000 })
      const first = await run[Symbol.asyncIterator]().next()
      process.stdout.write(String(first.value.ok))`
    // The iterator is never returned: before, the idle threads kept the process alive.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 20_000 })
    expect(child.signal).toBeNull()
    expect([child.status, child.stdout]).toEqual([0, 'true'])
  })

  it('lets the process end when a run is dropped before every worker thread had rows', () => {
    const code = `import { analyzeBatch } from 'recensio'
      function* reviews() { for (let i = 0; i < 3000; i++) yield { id: String(i), text: 'Llegó rápido y funciona muy bien ' + i } }
      const run = analyzeBatch(reviews(), { workers: 2, window: 100 })
      const first = await run[Symbol.asyncIterator]().next()
      process.stdout.write(String(first.value.ok))`
    // The first window is one chunk: the second thread was never handed one.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 20_000 })
    expect(child.signal).toBeNull()
    expect([child.status, child.stdout]).toEqual([0, 'true'])
  })

  it('runs worker threads in a process started with V8 flags', () => {
    const code = `const { analyzeBatch } = require('recensio')
      function* reviews() { for (let i = 0; i < 3000; i++) yield { id: String(i), text: 'Llegó rápido y funciona muy bien ' + i } }
      const run = analyzeBatch(reviews(), { workers: 2 })
      ;(async () => { let rows = 0; for await (const row of run) rows++; process.stdout.write(JSON.stringify([rows, run.summary().workers])) })()`
    // A batch job given more heap: threads given these flags by name refuse them.
    const child = spawnSync(process.execPath, ['--max-old-space-size=1024', '--expose-gc', '-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 })
    expect([child.status, child.stdout, child.stderr]).toEqual([0, '[3000,2]', ''])
  })

  it('answers --version and --help without loading the analyzers', () => {
    // The modules dist/cli.js imports before it runs: a few kB, not the lexicons and language data.
    const loaded = new Set<string>()
    const visit = (file: string) => {
      if (loaded.has(file)) return
      loaded.add(file)
      for (const m of readFileSync(join(root, 'dist', file), 'utf8').matchAll(/^import [^'"]*['"]\.\/([^'"]+)['"]/gm)) visit(m[1]!)
    }
    visit('cli.js')
    const bytes = [...loaded].reduce((n, f) => n + statSync(join(root, 'dist', f)).size, 0)
    expect(bytes).toBeLessThan(100_000)
    expect(execFileSync(process.execPath, [join(root, 'dist/cli.js'), '--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect(execFileSync(process.execPath, [join(root, 'dist/cli.js'), '--help'], { encoding: 'utf8' })).toContain('recensio analyze')
  })

  it('ships its JavaScript in ASCII, so each thread loads it as a one-byte string', () => {
    const files = readdirSync(join(root, 'dist')).filter((f) => /\.c?js$/.test(f))
    expect(files.length).toBeGreaterThan(3)
    for (const f of files) expect(readFileSync(join(root, 'dist', f)).some((b) => b > 0x7f), f).toBe(false)
    // The escaped characters read as before: a Spanish word with an accent, through a regular expression of the lexicon side.
    const code = "const { analyze } = require('recensio'); const r = analyze('Llegó rápido, perfecto. ¡Qué maravilla!'); process.stdout.write(r.sentiment.label + ' ' + r.language.code)"
    expect(execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })).toBe('positive es')
  })

  it('escapes a built file to ASCII with the same strings, templates and regular expressions, and refuses String.raw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-ascii-'))
    const file = join(dir, 'm.cjs')
    const source = [
      '// → a comment: Ò‘ ✓',
      "const s = 'Llegó ñ 😀'",
      'const t = `plantilla è ${1 + 1} 😀`',
      'const r = /^[a-zà-ÿ]+$/',
      'const u = /😀|\\p{L}ñ/u',
      'module.exports = { s, t, r: r.test("perché"), u: [u.test("😀"), u.test("añ")] }',
    ].join('\n')
    writeFileSync(file, source)
    const before = execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(file)})))`], { encoding: 'utf8' })
    expect(asciiBuild([file])).toBeGreaterThan(10)
    expect(readFileSync(file).some((b) => b > 0x7f)).toBe(false)
    const after = execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(file)})))`], { encoding: 'utf8' })
    expect(after).toBe(before)
    expect(JSON.parse(after)).toEqual({ s: 'Llegó ñ 😀', t: 'plantilla è 2 😀', r: true, u: [true, true] })
    writeFileSync(file, 'const x = String.raw`à`')
    expect(() => asciiBuild([file])).toThrow(/m\.cjs:1: a String\.raw template line/)
    // An escaped character would become a backslash and "u00e9"; an escaped backslash before one is fine.
    writeFileSync(file, 'const r = /\\é/')
    expect(() => asciiBuild([file])).toThrow(/m\.cjs:1: a character past ASCII after a backslash/)
    writeFileSync(file, "module.exports = '\\\\é'")
    asciiBuild([file])
    expect(execFileSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(file)}))`], { encoding: 'utf8' })).toBe('\\é')
  })

  it('analyzes a review through the CommonJS build', () => {
    const code = "const { analyze } = require('recensio'); process.stdout.write(String(analyze('Muy bueno').ok))"
    expect(execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })).toBe('true')
  })

  for (const type of ['module', 'commonjs'] as const) {
    it(`loads zod only when options or a refused row need it (${type === 'module' ? 'ESM' : 'CommonJS'})`, () => {
      const head =
        type === 'module'
          ? "import { analyze } from 'recensio'; import { createRequire } from 'node:module'; const cache = createRequire(process.cwd() + '/x.js').cache"
          : "const { analyze } = require('recensio'); const cache = require.cache"
      const code = `${head}
        const zod = () => Object.keys(cache).some((path) => path.includes('/node_modules/zod/'))
        const seen = [zod()]
        analyze({ text: 'Llegó rápido y funciona muy bien', rating: 5 }); seen.push(zod())
        try { analyze({ text: 'Bene', rating: 'molto' }) } catch (error) { seen.push(error.message, zod()) }
        analyze('Ottimo', { lang: 'it' }); seen.push(zod())
        process.stdout.write(JSON.stringify(seen))`
      const seen = JSON.parse(execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' })) as unknown[]
      // Not on import nor for a row the coercer takes; a refused row's message needs it.
      expect(seen.slice(0, 2)).toEqual([false, false])
      expect(seen[2]).toMatch(/rating/)
      expect(seen.slice(3)).toEqual([true, true])
    })
  }

  it('needs no zod for run control alone (signal, onProgress), nor for a recensio analyze with plain options', () => {
    const code = `import { analyze } from 'recensio'; import { createRequire } from 'node:module'
      const cache = createRequire(process.cwd() + '/x.js').cache
      const zod = () => Object.keys(cache).some((path) => path.includes('/node_modules/zod/'))
      const seen = [analyze('Ottimo', { signal: new AbortController().signal, onProgress() {} }).ok, zod()]
      for (const options of [{ signal: 5 }, { onProgress: 'x' }, { signal: undefined, explian: true }]) {
        try { analyze('Ottimo', options) } catch (error) { seen.push(error.message) }
      }
      process.stdout.write(JSON.stringify(seen))`
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }))).toEqual([
      true,
      false,
      // Other values are still the schema's to refuse, in its words.
      'Invalid options: option "signal": expected an AbortSignal, got 5',
      'Invalid options: option "onProgress": expected a function, got "x"',
      'Invalid options: unknown option "explian"',
    ])
    const hook = join(mkdtempSync(join(tmpdir(), 'recensio-zod-')), 'hook.cjs')
    writeFileSync(hook, 'process.on("exit", () => process.stderr.write("zod " + Object.keys(require.cache).some((p) => p.includes("/node_modules/zod/"))))')
    // Rows the coercer takes (a refused row's message would need zod).
    const input = join(dirname(hook), 'reviews.jsonl')
    writeFileSync(input, '{"id":"a","text":"Llegó rápido, muy contento","rating":5}\n{"id":"b","text":"Arrivato rotto","rating":"1/5"}\n')
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--require', hook, 'dist/cli.js', 'analyze', input, '-q', '--out', join(dirname(hook), 'out.jsonl'), ...args], { cwd: root, encoding: 'utf8' }).stderr
    expect(cli()).toMatch(/zod false$/)
    // Nor for options of plain values; a scale is the schema's to read.
    expect(cli('--lang', 'es')).toMatch(/zod false$/)
    expect(cli('--rating-scale', '1-10')).toMatch(/zod true$/)
  })

  it('loads zod for options alone, and checks them as before', () => {
    const code = `import { analyze } from 'recensio'; import { createRequire } from 'node:module'
      const cache = createRequire(process.cwd() + '/x.js').cache
      let message = ''
      try { analyze('Ottimo', { lang: 'fr' }) } catch (error) { message = error.message }
      process.stdout.write(JSON.stringify([message, Object.keys(cache).some((path) => path.includes('/node_modules/zod/'))]))`
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }))).toEqual([
      'Invalid options: option "lang": expected one of "es"|"it"|"en", got "fr"',
      true,
    ])
  })
})
