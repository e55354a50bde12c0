/**
 * README.md's examples, run against the built package so the docs cannot drift
 * from the code.
 *
 * - Every ```js / ```ts block runs with the exports of `dist/index.js` in scope
 *   (its `import … from 'recensio'` must name real exports; file names that are
 *   fixtures below become their temp paths; GIVEN supplies what a snippet takes
 *   from the prose). A top-level expression statement followed by a
 *   `// value` comment (on its line, or on the comment lines right below it) is
 *   checked: the comment must be a JS literal, and it must deep-equal what the
 *   expression evaluates to (`console.log(x) // v` checks `x`). Numbers with
 *   decimals match to the printed precision; integers match exactly.
 * - Every `recensio …` shell command runs as written (through `sh`, with a
 *   `recensio` on PATH that starts `dist/cli.js`) in a temp folder holding the
 *   small files below, in README order (so `report results.jsonl` reads what an
 *   earlier command wrote); it must exit 0, report no error rows on stderr,
 *   and write what its `--out`, `--json`, `--summary-json` or `>` names.
 *   Usage synopses (`<file>`, `[--flag …]`) are not run: each flag they list
 *   must be one the subcommand's `--help` documents.
 *
 * What is not checked is listed as skipped tests (see SKIPPED_LANGS and the
 * shell commands that do not start `recensio`). The fixtures are review texts
 * written for this test; no row comes from a corpus.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { root, tempDir } from './batch-util.js'

const README = readFileSync(join(root, 'README.md'), 'utf8')
const CLI = join(root, 'dist/cli.js')

/** Fenced-block languages that are not examples to run, and why. */
const SKIPPED_LANGS: Record<string, string> = {
  json: 'an illustrative output row; its authenticity part needs a batch with the copy "r7" the README does not give',
}

/**
 * Variables that a snippet takes from the prose around it, by section heading.
 * The journey snippet calls `analyze(text, …)` on "a restaurant's" review.
 */
const GIVEN: Record<string, Record<string, unknown>> = {
  'Journey stages': { text: 'We booked a table by phone and the reservation was ready. Every dish was tasty.' },
}

const REVIEWS_JSONL = [
  { id: 'a1', text: 'El pedido llegó en dos días y la tostadora funciona muy bien.', rating: 5, product: 'tostadora', author: 'ana', date: '2024-05-02' },
  { id: 'a2', text: 'La spedizione è stata lenta e il supporto non ha mai risposto.', rating: 2, product: 'tostadora', author: 'marco', date: '2024-05-03' },
  { id: 'a3', text: 'Got it free in exchange for my honest review, and it works well.', rating: 5, product: 'kettle', author: 'kim', date: '2024-05-03' },
]
  .map((r) => JSON.stringify(r))
  .join('\n')

/** Input files the examples name, written for this test. */
const FIXTURES: Record<string, string | Uint8Array> = {
  'reviews.jsonl': `${REVIEWS_JSONL}\n`,
  'dump.jsonl.gz': gzipSync(`${REVIEWS_JSONL}\n`),
  'reviews.csv': [
    'reviewerID,asin,overall,reviewText,unixReviewTime',
    'u1,B001,5,"Arrived on time and the blender crushes ice easily.",1714608000',
    'u2,B001,1,"Stopped working after a week, and support never answered.",1714694400',
    'u3,B002,5,"Great!!! Buy yours at www.cheap-blenders.example and call 555-0100 for a discount code.",1714694400',
  ].join('\n'),
  'export.csv': [
    'reviewText,overall,asin',
    '"Arrived late, but the blender is great.",4,B01',
    '"Broke after two days, I asked for a refund.",1,B01',
  ].join('\n'),
  // A scrape of a places page: an API-like JSON array with relative dates and reviewer objects.
  'maps-scrape.json': JSON.stringify([
    { reviewId: 'm1', text: 'Comida riquísima y el servicio muy atento.', stars: 5, publishAt: 'hace 3 días', reviewer: { name: 'Lucía' } },
    { reviewId: 'm2', text: 'Great pizza, but we waited an hour for a table.', stars: 3, publishAt: '2 weeks ago', reviewer: { name: 'Tom' } },
  ]),
  // Two months of exports, reported as one batch.
  'jan.csv': ['id,text,rating', 'j1,"Arrived on time, works well.",5', 'j2,"Broke after a week.",1'].join('\n'),
  'feb.csv': ['id,text,rating', 'f1,"Ottimo prodotto, consegna veloce.",5'].join('\n'),
  // One survey export for both README commands that read it: `--rating-scale 0-10`
  // says its rating is on 0–10; `--map nps=recommend,ces=effort` and `--group-by
  // country` name the other columns.
  'survey.csv': [
    'order_id,text,rating,recommend,effort,country',
    'o1,"Entrega rápida y el producto es excelente.",9,10,1,ES',
    'o2,"Il prodotto è arrivato rotto e il rimborso è lento.",3,2,4,IT',
    'o3,"Works fine, nothing special.",6,7,2,UK',
  ].join('\n'),
}

interface Block {
  lang: string
  heading: string
  line: number
  code: string
}

/** The fenced code blocks of a markdown text, with the heading each sits under. */
function fencedBlocks(md: string): Block[] {
  const lines = md.split('\n')
  const blocks: Block[] = []
  let heading = ''
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{1,6}\s+(.*?)\s*$/.exec(lines[i]!)
    if (h) heading = h[1]!
    const open = /^```(\w*)\s*$/.exec(lines[i]!)
    if (!open) continue
    let end = i + 1
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++
    blocks.push({ lang: open[1]!, heading, line: i + 1, code: lines.slice(i + 1, end).join('\n') })
    i = end
  }
  return blocks
}

const name = (b: Block): string => `"${b.heading}" (README.md:${b.line})`

// ---------------------------------------------------------------- js / ts

interface Check {
  expr: string
  comment: string
}

interface Instrumented {
  body: string
  checks: Check[]
  imports: string[]
}

/** The comment that states an expression's value: on its line, or the `//` lines right below. */
function valueComment(code: string, end: number): string | null {
  const rest = code.slice(end)
  const same = /^[ \t]*;?[ \t]*\/\/(.*)/.exec(rest)
  if (same) return same[1]!.trim()
  const below = /^[ \t]*;?[ \t]*\n((?:[ \t]*\/\/.*(?:\n|$))+)/.exec(rest)
  if (!below) return null
  return below[1]!
    .split('\n')
    .map((l) => l.replace(/^\s*\/\/ ?/, ''))
    .join('\n')
    .trim()
}

/** The source of `node`, with string literals naming a fixture replaced by its temp path. */
function rewritten(sf: ts.SourceFile, node: ts.Node, files: Record<string, string>): string {
  const start = node.getStart(sf)
  let text = sf.text.slice(start, node.end)
  const literals: ts.StringLiteralLike[] = []
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) && Object.hasOwn(files, n.text)) literals.push(n)
    ts.forEachChild(n, visit)
  }
  visit(node)
  literals.sort((a, b) => b.getStart(sf) - a.getStart(sf))
  for (const l of literals) text = text.slice(0, l.getStart(sf) - start) + JSON.stringify(files[l.text]) + text.slice(l.end - start)
  return text
}

/**
 * Turn a block into a function body: imports from 'recensio' become
 * destructurings of the library, and each top-level expression statement with a
 * value comment becomes `__check(i, expression)`.
 */
function instrument(code: string, files: Record<string, string>): Instrumented {
  const sf = ts.createSourceFile('readme-example.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  const checks: Check[] = []
  const imports: string[] = []
  let body = ''
  let at = 0
  for (const st of sf.statements) {
    let text: string
    if (ts.isImportDeclaration(st)) {
      const from = (st.moduleSpecifier as ts.StringLiteral).text
      if (from !== 'recensio') throw new Error(`README example imports "${from}"; only 'recensio' can be run`)
      const clause = st.importClause
      if (clause?.name) throw new Error('README example uses a default import; recensio has named exports only')
      const bindings = clause?.namedBindings
      if (bindings && ts.isNamespaceImport(bindings)) {
        text = `const ${bindings.name.text} = __lib;`
      } else {
        const parts = (bindings?.elements ?? []).map((el) => {
          const imported = (el.propertyName ?? el.name).text
          imports.push(imported)
          return `${imported}: ${el.name.text}`
        })
        text = `const { ${parts.join(', ')} } = __lib;`
      }
    } else if (ts.isExpressionStatement(st) && valueComment(code, st.end) !== null) {
      const e = st.expression
      // `console.log(x) // value` states the value of x.
      const shown =
        ts.isCallExpression(e) && e.arguments.length === 1 && e.expression.getText(sf) === 'console.log' ? e.arguments[0]! : e
      text = `__check(${checks.length}, (${rewritten(sf, shown, files)}));`
      checks.push({ expr: shown.getText(sf), comment: valueComment(code, st.end)! })
    } else {
      text = rewritten(sf, st, files)
    }
    body += code.slice(at, st.getStart(sf)) + text
    at = st.end
  }
  return { body: body + code.slice(at), checks, imports }
}

type Literal =
  | { kind: 'number'; value: number; decimals: number | null }
  | { kind: 'plain'; value: string | boolean | null | undefined }
  | { kind: 'array'; items: Literal[] }
  | { kind: 'object'; entries: [string, Literal][] }

/** Parse a value comment as a JS literal (objects, arrays, strings, numbers, true/false/null/undefined). */
function parseLiteral(text: string): Literal {
  const source = `(${text}\n)`
  const diagnostics = ts.transpileModule(source, { reportDiagnostics: true }).diagnostics ?? []
  if (diagnostics.length > 0) throw new Error(`not a JS literal: ${ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, ' ')}`)
  const sf = ts.createSourceFile('value.ts', source, ts.ScriptTarget.ES2022, true)
  const st = sf.statements[0]
  if (sf.statements.length !== 1 || !st || !ts.isExpressionStatement(st)) throw new Error('not a single JS literal')
  const number = (n: ts.NumericLiteral, sign: number): Literal => {
    const raw = n.getText(sf)
    const m = /^\d*\.(\d+)$/.exec(raw)
    return { kind: 'number', value: sign * Number(raw), decimals: m ? m[1]!.length : /^\d+$/.test(raw) ? 0 : null }
  }
  const convert = (n: ts.Expression): Literal => {
    if (ts.isParenthesizedExpression(n)) return convert(n.expression)
    if (ts.isNumericLiteral(n)) return number(n, 1)
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)) return number(n.operand, -1)
    if (ts.isStringLiteralLike(n)) return { kind: 'plain', value: n.text }
    if (n.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'plain', value: true }
    if (n.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'plain', value: false }
    if (n.kind === ts.SyntaxKind.NullKeyword) return { kind: 'plain', value: null }
    if (ts.isIdentifier(n) && n.text === 'undefined') return { kind: 'plain', value: undefined }
    if (ts.isArrayLiteralExpression(n)) return { kind: 'array', items: n.elements.map(convert) }
    if (ts.isObjectLiteralExpression(n)) {
      return {
        kind: 'object',
        entries: n.properties.map((p): [string, Literal] => {
          if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) {
            throw new Error(`not a literal property: ${p.getText(sf)}`)
          }
          return [p.name.text, convert(p.initializer)]
        }),
      }
    }
    throw new Error(`not a literal: ${n.getText(sf)}`)
  }
  return convert(st.expression)
}

/**
 * The literal as a plain value, taking the actual number wherever the literal
 * prints it to its precision, so that `toEqual` shows only real differences.
 */
function expectedValue(lit: Literal, actual: unknown): unknown {
  switch (lit.kind) {
    case 'number': {
      if (typeof actual !== 'number') return lit.value
      const ok = lit.decimals === null || lit.decimals === 0 ? actual === lit.value : Math.abs(actual - lit.value) <= 0.5 * 10 ** -lit.decimals + 1e-12
      return ok ? actual : lit.value
    }
    case 'plain':
      return lit.value
    case 'array':
      return lit.items.map((item, i) => expectedValue(item, Array.isArray(actual) ? actual[i] : undefined))
    case 'object': {
      const a = typeof actual === 'object' && actual !== null ? (actual as Record<string, unknown>) : {}
      return Object.fromEntries(lit.entries.map(([k, v]) => [k, expectedValue(v, a[k])]))
    }
  }
}

type ExampleFn = (lib: Record<string, unknown>, check: (i: number, v: unknown) => void, console: unknown, given: Record<string, unknown>) => Promise<void>

/** Compile an instrumented body (types stripped) into an async function. */
function compile(body: string, libNames: string[], given: Record<string, unknown>): ExampleFn {
  const source = [
    'async function __readme(__lib, __check, console, __given) {',
    `const { ${libNames.join(', ')} } = __lib;`,
    `const { ${Object.keys(given).join(', ')} } = __given;`,
    '{',
    body,
    '}',
    '}',
  ].join('\n')
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
  return new Function(`${js}\nreturn __readme`)() as ExampleFn
}

// ---------------------------------------------------------------- shell

interface Command {
  text: string
  block: Block
}

/** Shell commands of a block: `\`-continued and indented lines join the line before; comments and blank lines go. */
function shellCommands(block: Block): Command[] {
  const out: Command[] = []
  let pendingContinuation = false
  for (const line of block.code.split('\n')) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue
    const continues = pendingContinuation || /^\s/.test(line)
    const clean = line.replace(/^\s*\$ /, '').replace(/\\\s*$/, '')
    if (continues && out.length > 0) out[out.length - 1]!.text += ` ${clean.trim()}`
    else out.push({ text: clean.trim(), block })
    pendingContinuation = /\\\s*$/.test(line)
  }
  return out
}

/** Does the command run recensio (as the first word of a pipeline segment)? */
const runsRecensio = (cmd: string): boolean => /(?:^|[|;&]\s*)recensio\s/.test(cmd)
/** A usage synopsis (`<file>`, `[--flag]`) rather than a command to run. */
const isSynopsis = (cmd: string): boolean => /<[^>]*>|\[--/.test(cmd)

/** The command without its trailing `# comment` (outside quotes, which README commands do not use). */
const withoutComment = (cmd: string): string => cmd.replace(/\s+#.*$/, '')

/** Files a recensio command writes: after --out/-o, --json, --summary-json, or `>`. */
function outputsOf(cmd: string): string[] {
  const words = withoutComment(cmd).split(/\s+/)
  const files: string[] = []
  for (let i = 0; i < words.length - 1; i++) {
    if (['--out', '-o', '--json', '--summary-json', '>'].includes(words[i]!) && words[i + 1] !== '-') files.push(words[i + 1]!)
  }
  return files
}

/** JSON Lines result rows; each must be a result (`ok: true`), since the fixtures are valid. */
function expectResultRows(text: string, where: string): void {
  const rows = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { ok?: unknown; error?: unknown })
  expect(rows.length, `${where}: no rows`).toBeGreaterThan(0)
  expect(rows.filter((r) => r.ok !== true), `${where}: error rows`).toEqual([])
}

/** Check a file a command wrote, by its extension. */
function expectOutput(path: string, file: string): void {
  expect(existsSync(path), `${file} was not written`).toBe(true)
  const text = readFileSync(path, 'utf8')
  if (file.endsWith('.jsonl')) expectResultRows(text, file)
  else if (file.endsWith('.csv')) {
    const [header, ...rows] = text.replace(/^\uFEFF/, '').trimEnd().split('\n')
    const ok = header!.split(',').indexOf('ok')
    expect(ok, `${file}: no "ok" column`).toBeGreaterThanOrEqual(0)
    expect(rows.length, `${file}: no rows`).toBeGreaterThan(0)
    expect(rows.map((r) => r.split(',')[ok]).filter((v) => v !== 'true'), `${file}: error rows`).toEqual([])
  } else if (file.endsWith('.json')) {
    const json = JSON.parse(text) as { errors?: unknown; totals?: { errors?: unknown } }
    const errors = typeof json.errors === 'number' ? json.errors : json.totals?.errors
    expect(errors, `${file}: error rows`).toBe(0)
  } else if (file.endsWith('.html')) expect(text).toMatch(/^<!doctype html>/i)
}

// ---------------------------------------------------------------- tests

const blocks = fencedBlocks(README)
const codeBlocks = blocks.filter((b) => b.lang === 'js' || b.lang === 'ts')
const shellBlocks = blocks.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang))
const commands = shellBlocks.flatMap(shellCommands)

let dir = ''
let files: Record<string, string> = {}
let lib: Record<string, unknown> = {}

beforeAll(async () => {
  dir = tempDir()
  files = {}
  for (const [file, content] of Object.entries(FIXTURES)) {
    writeFileSync(join(dir, file), content)
    files[file] = join(dir, file)
  }
  mkdirSync(join(dir, '.bin'))
  writeFileSync(join(dir, '.bin/recensio'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 })
  lib = (await import(pathToFileURL(join(root, 'dist/index.js')).href)) as Record<string, unknown>
})

describe('README.md', () => {
  it('has library examples with value comments and recensio commands to check', () => {
    const values = codeBlocks.reduce((n, b) => n + instrument(b.code, {}).checks.length, 0)
    expect(codeBlocks.length).toBeGreaterThan(0)
    expect(values).toBeGreaterThan(0)
    expect(commands.filter((c) => runsRecensio(c.text) && !isSynopsis(c.text)).length).toBeGreaterThan(0)
  })

  for (const block of codeBlocks) {
    const { checks } = instrument(block.code, {})
    it(`runs the example under ${name(block)}${checks.length > 0 ? ` and checks its ${checks.length} stated values` : ' (it states no values)'}`, async () => {
      const { body, imports } = instrument(block.code, files)
      for (const imported of imports) expect(lib, `README imports "${imported}"`).toHaveProperty(imported)
      const given = GIVEN[block.heading] ?? {}
      const fn = compile(
        body,
        Object.keys(lib).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k)),
        given,
      )
      const actual = new Map<number, unknown>()
      const printed: unknown[][] = []
      const capture = (...args: unknown[]): void => void printed.push(args)
      await fn(lib, (i, v) => void actual.set(i, v), { log: capture, info: capture, warn: capture, error: capture }, given)
      checks.forEach((check, i) => {
        const where = `${check.expr}  // ${check.comment}`
        expect(actual.has(i), `${where}: not evaluated`).toBe(true)
        expect.soft(() => parseLiteral(check.comment), `${where}: the comment must be a JS literal`).not.toThrow()
        let literal: Literal
        try {
          literal = parseLiteral(check.comment)
        } catch {
          return
        }
        expect.soft(actual.get(i), where).toEqual(expectedValue(literal, actual.get(i)))
      })
    })
  }

  it('gives its example error rows for the value each names: the json block\'s lines with "ok":false', () => {
    const analyzeOne = lib.analyze as (review: unknown) => unknown
    const errorLines = blocks.filter((b) => b.lang === 'json').flatMap((b) => b.code.split('\n').filter((l) => l.includes('"ok":false')))
    expect(errorLines.length).toBeGreaterThan(0)
    for (const line of errorLines) {
      const row = JSON.parse(line) as { id: string; error: { field: string; code: string; message: string } }
      // The value the message says it got, given to that field of a review.
      const got = /, got (".*"|[^,]+)$/.exec(row.error.message)
      expect(got, line).not.toBeNull()
      let thrown: unknown
      try {
        analyzeOne({ id: row.id, text: 'Fine.', [row.error.field]: JSON.parse(got![1]!) })
      } catch (e) {
        thrown = e
      }
      expect((thrown as { issues?: unknown } | undefined)?.issues, line).toEqual([row.error])
    }
  })

  for (const block of blocks.filter((b) => Object.hasOwn(SKIPPED_LANGS, b.lang))) {
    it.skip(`not run: the ${block.lang} block under ${name(block)}: ${SKIPPED_LANGS[block.lang]}`, () => {})
  }
})

describe('README.md shell commands', () => {
  for (const cmd of commands) {
    if (!runsRecensio(cmd.text)) {
      it.skip(`not run: \`${withoutComment(cmd.text)}\` under ${name(cmd.block)}: not a recensio command (install, build or test)`, () => {})
    } else if (isSynopsis(cmd.text)) {
      const sub = /recensio\s+(\w+)/.exec(cmd.text)?.[1] ?? ''
      it(`knows every flag of the \`recensio ${sub}\` synopsis under ${name(cmd.block)}`, () => {
        const help = spawnSync(process.execPath, [CLI, sub, '--help'], { encoding: 'utf8' })
        expect(help.status, help.stderr).toBe(0)
        const flags = [...new Set(cmd.text.match(/--[a-z][a-z-]*/g) ?? [])]
        expect(flags.length).toBeGreaterThan(0)
        for (const flag of flags) expect.soft(help.stdout, `recensio ${sub} --help lists ${flag}`).toMatch(new RegExp(`${flag}(?![a-z-])`))
      })
    } else {
      it(`runs \`${withoutComment(cmd.text)}\` under ${name(cmd.block)}`, () => {
        const r = spawnSync('sh', ['-c', cmd.text], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${join(dir, '.bin')}:${process.env.PATH ?? ''}` },
        })
        expect(r.status, r.stderr).toBe(0)
        const counts = [...r.stderr.matchAll(/(\d+) error rows|error rows (\d+)/g)].map((m) => Number(m[1] ?? m[2]))
        expect(counts.length, `no summary on stderr: ${r.stderr}`).toBeGreaterThan(0)
        expect(counts, `error rows reported on stderr: ${r.stderr}`).toEqual(counts.map(() => 0))
        const outputs = outputsOf(cmd.text)
        for (const file of outputs) expectOutput(join(dir, file), file)
        // analyze writes its results to stdout unless --out or `>` names a file.
        if (/recensio\s+analyze/.test(cmd.text) && !/(?:--out|-o|>)\s/.test(withoutComment(cmd.text))) expectResultRows(r.stdout, 'stdout')
      })
    }
  }
})
