/**
 * At most `size` hashes run at once; the others wait here, in arrival order.
 *
 * bcrypt's async API queues its work on libuv's one thread pool, which also serves
 * `crypto.subtle` (the PostgreSQL driver's SCRAM handshake: half a dozen jobs one after the
 * other), `dns.lookup` (SMTP and Redis host names) and `fs`. With every thread hashing and more
 * hashes queued behind them, each of those jobs waited for the whole queue: under sign-in load a
 * new database connection took over 3 s and the request answered SERVICE_UNAVAILABLE (issue 8,
 * bench). Keeping fewer hashes in the pool than it has threads leaves a thread for them at once;
 * hashing still fills every core (the pool has more threads than this machine has cores).
 */
export class HashingSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`HashingSlots: size must be a positive integer, got ${size}`);
  }

  /** Hashes started and not finished, and hashes waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next in line (running stays the same), or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
