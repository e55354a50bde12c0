#!/usr/bin/env node
/** The `recensio` command: dispatches to a subcommand and exits with its code. */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXIT, mainHelp } from './help.js'

type Command = (argv: string[]) => Promise<number>

// Loaded when run, so `--help` and `--version` answer without the analyzers.
const COMMANDS: Record<string, Command> = {
  analyze: async (argv) => (await import('./analyze.js')).runAnalyze(argv, { stderr: process.stderr }),
  report: async (argv) => (await import('../report/index.js')).reportCommand(argv),
}

function version(): string {
  // dist/cli.js and src/cli/main.ts sit one and two folders below package.json.
  const here = dirname(fileURLToPath(import.meta.url))
  for (const up of ['..', '../..']) {
    try {
      return (JSON.parse(readFileSync(join(here, up, 'package.json'), 'utf8')) as { version: string }).version
    } catch {
      // try the next folder up
    }
  }
  return 'unknown'
}

/** Run the command line; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // Without arguments the help is a usage error: to stderr, exit 2.
    ;(name === undefined ? process.stderr : process.stdout).write(`${mainHelp()}\n`)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  if (name === '--version' || name === '-v' || name === '-V') {
    process.stdout.write(`${version()}\n`)
    return EXIT.ok
  }
  const command = COMMANDS[name]
  if (command === undefined) {
    process.stderr.write(`recensio: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\nTry 'recensio --help'.\n`)
    return EXIT.usage
  }
  return command(rest)
}

// A reader of stderr that went away (2>&1 | a log collector that died) leaves nowhere to say
// anything: messages are dropped rather than failing a run whose results are written.
process.stderr.on('error', () => {})

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`recensio: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = EXIT.failure
  },
)
