import Handlebars from 'handlebars';

export type TemplateVariables = Record<string, string | number | null | undefined>;

// Control characters never reach a message (a display name cannot inject headers or SMS control codes).
const CONTROL = /[\p{Cc}\p{Cf}]/gu;

function clean(vars: TemplateVariables): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) if (v !== null && v !== undefined) out[k] = String(v).replace(CONTROL, '');
  return out;
}

const html = Handlebars.create();
const text = Handlebars.create();

/**
 * Handlebars rendering: HTML bodies escape every variable; text bodies and SMS are plain text
 * (no HTML escaping) with control characters stripped. Compiled templates are cached by source.
 */
export class TemplateRenderer {
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();

  private compile(source: string, mode: 'html' | 'text'): HandlebarsTemplateDelegate {
    const cacheKey = `${mode}\u0000${source}`;
    let t = this.cache.get(cacheKey);
    if (!t) {
      t = mode === 'html' ? html.compile(source, { strict: false }) : text.compile(source, { noEscape: true, strict: false });
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(cacheKey, t);
    }
    return t;
  }

  renderHtml(source: string, vars: TemplateVariables): string {
    return this.compile(source, 'html')(clean(vars));
  }

  renderText(source: string, vars: TemplateVariables): string {
    return this.compile(source, 'text')(clean(vars));
  }

  /** Throws when the source does not compile or render (admin template validation). */
  validate(source: string, mode: 'html' | 'text', vars: TemplateVariables): void {
    const t = mode === 'html' ? html.compile(source, { strict: false }) : text.compile(source, { noEscape: true, strict: false });
    t(clean(vars));
  }
}
