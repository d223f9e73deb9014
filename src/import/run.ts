// Entry point of `npm run import -- <file> …` (cli.ts).
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2), {
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
