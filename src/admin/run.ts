// Entry point of `npm run admin -- <command>` (cli.ts).
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
