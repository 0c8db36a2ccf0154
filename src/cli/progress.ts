// A one-line progress bar on stderr for long stages; silent when not a terminal (piped) or --quiet.

export interface Progress {
  (stage: string, done: number, total: number): void;
  done(): void;
}

export function progressReporter(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  let last = '';
  let lastT = 0;
  const t0 = Date.now();
  const f = ((stage: string, done: number, total: number) => {
    if (!enabled) return;
    const now = Date.now();
    if (done < total && now - lastT < 100) return;
    lastT = now;
    const width = 24;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const line = `${stage.padEnd(16)} [${bar}] ${done}/${total}  ${((now - t0) / 1000).toFixed(1)} s`;
    if (line !== last) stream.write(`\r${line}\x1b[K`);
    last = line;
  }) as Progress;
  f.done = () => {
    if (enabled && last) stream.write('\r\x1b[K');
    last = '';
  };
  return f;
}
