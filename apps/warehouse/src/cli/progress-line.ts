import { LoadProgress } from '../loads/warehouse-job';

/**
 * A progress line for long loads: rows, MB and MB/s, at most once a second; rewritten in place
 * on a terminal, one line per update otherwise (logs).
 */
export function progressLine(
  write: (text: string) => void,
  options: { tty: boolean; now?: () => number },
) {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let last = -Infinity;
  const render = (progress: LoadProgress) => {
    const seconds = (now() - started) / 1000;
    const mb = progress.bytes / 1e6;
    const rate = seconds > 0 ? mb / seconds : 0;
    return `${progress.file}: ${progress.rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB, ${rate.toFixed(1)} MB/s`;
  };
  return {
    update(progress: LoadProgress): void {
      if (now() - last < 1000) return;
      last = now();
      write(options.tty ? `\r${render(progress)}\x1b[K` : `${render(progress)}\n`);
    },
    done(): void {
      if (options.tty && last > -Infinity) write('\n');
    },
  };
}
