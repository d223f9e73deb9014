// Entry point of `npm run import -- <file> …` (cli.ts).
import { main } from './cli.js';

// Once main returns nothing is left to do: exit then, whatever is still
// pending (a failed embedded store leaves its PostgreSQL's own timer behind,
// src/db/pglite-failure.ts).
const exitCode = await main(process.argv.slice(2), {
  print: (line) => process.stdout.write(`${line}\n`),
  printError: (line) => process.stderr.write(`${line}\n`),
  terminal: process.stdout.isTTY ? process.stdout : null,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
});
// Exits once what was printed is out.
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
