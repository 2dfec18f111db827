import type { Readable } from 'node:stream';

/** Keeps the last lines a child process wrote, for error messages; reading also keeps its pipe from filling up. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 40) {}

  follow(stream: Readable | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => this.append(chunk));
  }

  note(line: string): void {
    this.append(`${line}\n`);
  }

  toString(): string {
    return [...this.lines, this.partial].filter((line) => line.trim() !== '').join('\n');
  }

  private append(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }
}
