// One `npm run import -- <file>` for bench/import.ts, in this process: the
// import's own lines, then its CPU seconds and peak RSS (MB) on a last line
// ("usage <cpu> <rss>"), which a parent cannot read off a child it spawned.
import { main } from '../src/import/cli.js';

const code = await main(process.argv.slice(2), { print: (line) => console.log(line), printError: (line) => console.error(line), terminal: null });
const usage = process.resourceUsage();
console.log(`usage ${((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(2)} ${(usage.maxRSS / 1024).toFixed(0)}`);
process.exit(code);
