/**
 * Writers of one process taking turns: `const done = await turns.take()` waits until every earlier taker
 * has called its `done()`. Used for write transactions, which SQLite runs one at a time anyway.
 */
export class Turns {
  private last: Promise<void> = Promise.resolve();

  async take(): Promise<() => void> {
    let done = () => {};
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const before = this.last;
    this.last = before.then(() => mine);
    await before;
    return done;
  }

  /** Resolves once every turn taken so far has ended. */
  settled(): Promise<void> {
    return this.last;
  }
}
