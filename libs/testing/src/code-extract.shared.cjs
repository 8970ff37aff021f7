'use strict';
// Plain CommonJS (not code-extract.cjs: Jest would resolve './code-extract' to it) so that both the test harness (code-extract.ts) and the benchmarks
// (bench/lib/smtp-sink.mjs, plain Node without TypeScript) find codes the same way.

const CODE_PATTERN = /(?<![\p{L}\p{N}_+\-:/.,@])(\d{4,10})(?![\p{L}\p{N}_\-:/@]|[.,]\d)/gu;

/**
 * Finds the one-time code in a message body: the first run of 4–10 digits standing on its
 * own (not part of a word, a longer number, a date, a time, a phone number, an address or a
 * decimal), so that "u_4711448", "2030-01-31", "10:45" or "+84901234567" are never taken for a code.
 * @param {string | undefined | null} text
 * @param {number} [length] only a run of exactly this many digits
 * @returns {string | undefined}
 */
function extractCode(text, length) {
  if (!text) return undefined;
  for (const match of text.matchAll(CODE_PATTERN)) {
    if (length === undefined || match[1].length === length) return match[1];
  }
  return undefined;
}

exports.extractCode = extractCode;
