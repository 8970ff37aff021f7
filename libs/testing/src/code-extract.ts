/**
 * Finds the one-time code in a message body: the first run of 4–10 digits standing on its
 * own (not part of a longer number, a date, a time, a phone number or a decimal), so that
 * "2030-01-31", "10:45" or "+84901234567" in a notice are never taken for a code.
 */
export function extractCode(text: string | undefined | null, length?: number): string | undefined {
  if (!text) return undefined;
  const pattern = /(?<![\d+\-:/.,])(\d{4,10})(?![\d\-:/]|[.,]\d)/g;
  for (const match of text.matchAll(pattern)) {
    if (length === undefined || match[1].length === length) return match[1];
  }
  return undefined;
}

export async function pollUntil<T>(
  probe: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
