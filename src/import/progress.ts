// Progress of an import: a bar on a terminal (cli-progress: rows/s, ETA),
// plain lines elsewhere (logs, CI), at most one every few seconds.
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    { stream, format: '{bar} {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}', hideCursor: true, etaBuffer: 50, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  let began = 0;
  let from = 0;
  const rate = (done: number) => Math.round((done - from) / Math.max((performance.now() - began) / 1000, 0.001));
  return {
    start: (total, done) => {
      began = performance.now();
      from = done;
      bar.start(total, done, { rate: 0 });
    },
    update: (done) => bar.update(done, { rate: rate(done) }),
    stop: () => bar.stop(),
  };
}

export function lineProgress(print: (line: string) => void, everyMs = 5_000): Progress {
  let total = 0;
  let began = 0;
  let from = 0;
  let last = 0;
  return {
    start: (t, done) => {
      total = t;
      began = last = performance.now();
      from = done;
    },
    update: (done) => {
      const now = performance.now();
      if (now - last < everyMs || done >= total) return;
      last = now;
      const rate = (done - from) / Math.max((now - began) / 1000, 0.001);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      print(`${done}/${total} rows (${Math.floor((done / Math.max(total, 1)) * 100)}%), ${Math.round(rate)} rows/s, ETA ${eta} s`);
    },
    stop: () => {},
  };
}
