// The process' logger: pino, one JSON object per line (LOG_FORMAT=json), a
// readable line per event on a terminal (pretty, through pino-pretty when it
// is installed), or nothing (off). LOG_LEVEL filters either way.
import { pino, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.js';

export type { Logger };

export async function createLogger(options: { level: LogLevel; format: LogFormat }): Promise<Logger> {
  if (options.format === 'off') return pino({ level: 'silent' });
  const base = { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.format === 'pretty') {
    try {
      const { default: pretty } = await import('pino-pretty');
      // In this thread, synchronously: a worker thread per process is not
      // worth it for a terminal, and lines are not lost on exit.
      return pino(base, pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' }));
    } catch {
      // pino-pretty is a convenience: without it the lines stay JSON.
    }
  }
  return pino(base);
}
