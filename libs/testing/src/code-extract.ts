// The extraction itself is shared with the benchmarks' SMTP sink, which runs without TypeScript
// (its types: code-extract.shared.d.cts).
import { extractCode as sharedExtractCode } from './code-extract.shared.cjs';

/**
 * Finds the one-time code in a message body: the first run of 4–10 digits standing on its
 * own (not part of a word, a longer number, a date, a time, a phone number, an address or a
 * decimal), so that "u_4711448", "2030-01-31", "10:45" or "+84901234567" are never taken for a code.
 */
export const extractCode: (text: string | undefined | null, length?: number) => string | undefined = sharedExtractCode;

export async function pollUntil<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
