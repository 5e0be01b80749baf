/**
 * A one-line progress display on stderr: steps done, elapsed, a rough time left, and what runs
 * now. Redrawn in place on a terminal, one line per step otherwise (CI logs).
 */
export class Progress {
  private done = 0;
  private readonly startedAt = Date.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  /** Marks the start of the next step. */
  step(what: string): void {
    this.done += 1;
    const elapsed = Date.now() - this.startedAt;
    const perStep = this.done > 1 ? elapsed / (this.done - 1) : 0;
    const left = perStep * (this.total - this.done + 1);
    const line = `[${String(this.done).padStart(String(this.total).length)}/${this.total}] ${clock(elapsed)} elapsed` +
      `${this.done > 1 ? `, ~${clock(left)} left` : ''} · ${what}`;
    this.write(line);
  }

  /** A line of its own (a warning, a failure), kept above the progress line. */
  note(text: string): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${text}\n`);
  }

  /** Ends the display. */
  finish(): void {
    this.write(`done in ${clock(Date.now() - this.startedAt)}`);
    if (this.tty) process.stderr.write('\n');
  }

  private write(line: string): void {
    if (this.tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
    else process.stderr.write(`${line}\n`);
  }
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
