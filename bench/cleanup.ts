/**
 * Teardown steps run in reverse order of registration, each on its own, so a failing step never leaves a
 * later process running. Runs once, also on SIGINT/SIGTERM.
 */
export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => unknown }> = [];
  private running?: Promise<void>;

  add(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  /** Runs (and forgets) the steps registered since `mark`; for a part of the run that ends early. */
  async runFrom(mark: number): Promise<void> {
    const steps = this.steps.splice(mark).reverse();
    for (const step of steps) await this.runStep(step);
  }

  get mark(): number {
    return this.steps.length;
  }

  runAll(): Promise<void> {
    this.running ??= this.runFrom(0);
    return this.running;
  }

  private async runStep(step: { name: string; run: () => unknown }): Promise<void> {
    try {
      await step.run();
    } catch (error) {
      process.stderr.write(`bench: cleanup step "${step.name}" failed: ${(error as Error).message}\n`);
    }
  }
}
