import { useState } from 'preact/hooks';
import { ApiError, asApiError } from '../api/errors';
import { useI18n } from '../i18n';
import { endSessionLocally } from '../session';

/** A section's own error and status lines, and a busy flag, with one `run` that sets them. */
export function useAction() {
  const { errorText } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const run = async (name: string, fn: () => Promise<string | null | void>): Promise<boolean> => {
    setBusy(name);
    setError(null);
    setStatus(null);
    try {
      const said = await fn();
      if (said) setStatus(said);
      return true;
    } catch (err) {
      const apiError = asApiError(err);
      setError(apiError);
      if (apiError.code === 'UNAUTHENTICATED') endSessionLocally('ended');
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, status, run, setError, setStatus, errorMessage: error ? errorText(error) : null };
}
