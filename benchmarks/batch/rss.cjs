// Preloaded into a benchmarked process (node -r): reports its peak resident
// set size and CPU time, all threads included, on stderr when it exits, as
// "maxrss <kB> cpu <µs>".
process.on('exit', () => {
  const u = process.resourceUsage()
  process.stderr.write(`\nmaxrss ${u.maxRSS} cpu ${u.userCPUTime + u.systemCPUTime}\n`)
})
