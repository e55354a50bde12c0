// Preloaded into a benchmarked process (node -r): reports its peak resident
// set size, all threads included, on stderr as "maxrss <kB>" when it exits.
process.on('exit', () => {
  process.stderr.write(`\nmaxrss ${process.resourceUsage().maxRSS}\n`)
})
