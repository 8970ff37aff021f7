import { FixedClock, SystemClock } from './clock';

describe('FixedClock', () => {
  it('stays where it is set until advanced, and hands out copies', () => {
    const clock = new FixedClock('2025-06-01T12:00:00.000Z');
    const at = clock.now();
    at.setFullYear(2000);
    expect(clock.now().toISOString()).toBe('2025-06-01T12:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2025-06-01T12:01:30.000Z');
    clock.set(new Date('2026-01-01T00:00:00.000Z'));
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('SystemClock', () => {
  it('reads the system time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
