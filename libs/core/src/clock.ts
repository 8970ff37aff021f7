/**
 * The current time, for code a test or a job must be able to move (STYLE: unit tests mock the
 * clock). An abstract class so that it is its own injection token: inject `Clock`, and the
 * application provides `SystemClock` (CoreModule). Durations measured inside one process (a batch's
 * pause) keep `Date.now()` / `performance.now()`, and times the database decides (a due deletion:
 * `clock_timestamp()`) stay the database's.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to: for tests. */
export class FixedClock extends Clock {
  private current: number;

  constructor(at: Date | string = '2025-01-01T00:00:00.000Z') {
    super();
    this.current = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
