import type { ButtonHTMLAttributes, ComponentChildren, InputHTMLAttributes, Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n';

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onValue(value: string): void;
  type?: 'text' | 'email' | 'tel' | 'password';
  hint?: string;
  error?: string | null;
  optional?: boolean;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  extra?: { maxLength?: number; pattern?: string; class?: string; 'aria-invalid'?: 'true' };
}

/** A labelled input whose hint and error are tied to it (aria-describedby, aria-invalid). */
export function Field(props: FieldProps) {
  const { t } = useI18n();
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = `${props.id}-error`;
  const describedBy = [hintId, props.error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  // Built apart from the JSX: preact 11 types <input> as a union on `type`, which a `type`
  // chosen at run time (password shown or hidden) cannot satisfy statically.
  const inputAttributes = {
    id: props.id,
    name: props.id,
    type: props.type ?? 'text',
    value: props.value,
    onInput: (e: Event) => props.onValue((e.currentTarget as HTMLInputElement).value),
    required: props.required,
    autoComplete: props.autoComplete,
    inputMode: props.inputMode,
    disabled: props.disabled,
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': describedBy,
    ref: props.inputRef,
    spellcheck: false,
    autoCapitalize: 'off',
    ...props.extra,
  } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.optional ? <span class="optional"> {t.fields.optional}</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <input {...inputAttributes} />
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Errors are announced as they appear: the live region is always in the page (empty when there
 * is nothing to say), because screen readers ignore live regions inserted together with their text.
 */
export function ErrorRegion({ message, id }: { message: string | null; id?: string }) {
  return (
    <div id={id} class={message ? 'alert alert-error' : 'alert-empty'} role="alert" aria-live="assertive" aria-atomic="true">
      {message}
    </div>
  );
}

export function StatusRegion({ message, id }: { message: string | null; id?: string }) {
  return (
    <div id={id} class={message ? 'alert alert-ok' : 'alert-empty'} role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}

/** A button that keeps its size while busy (the spinner is drawn over it, not beside it). */
export function Button({
  busy,
  children,
  variant = 'primary',
  ...rest
}: { busy?: boolean; variant?: 'primary' | 'secondary' | 'link'; children: ComponentChildren } & ButtonHTMLAttributes<HTMLButtonElement>) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      {...rest}
      class={`btn btn-${variant}${busy ? ' is-busy' : ''}`}
      disabled={busy || rest.disabled}
      aria-busy={busy ? 'true' : undefined}
    >
      <span class="btn-label">{children}</span>
      {busy ? <span class="visually-hidden"> {t.common.working}</span> : null}
    </button>
  );
}

export function ShowPassword({ id, checked, onChange }: { id: string; checked: boolean; onChange: (v: boolean) => void }) {
  const { t } = useI18n();
  return (
    <div class="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label for={id}>{t.fields.showPassword}</label>
    </div>
  );
}

/** Moves focus to a screen's heading when it appears, so keyboard and screen-reader users start there. */
export function ScreenTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t.meta.appName}`;
  }, [title, t]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** The heading of a step within a screen; takes focus when the step appears (after an action). */
export function StepHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} tabIndex={-1}>
      {children}
    </h2>
  );
}
