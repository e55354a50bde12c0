#!/usr/bin/env node
// Placeholder until the CLI lands.
console.error('recensio: the CLI is not built yet')
process.exit(1)
