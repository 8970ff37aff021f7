/** Facts an error text may use, from the GraphQL error's `extensions` (contract README, Errors). */
export interface ErrorFacts {
  field?: string;
  retryAfterSeconds?: number;
  attemptsRemaining?: number;
  scheduledFor?: string;
}

/** Formatting helpers each dictionary receives, bound to its locale. */
export interface Formatters {
  /** "42 seconds", "2 minutes" … */
  duration(seconds: number): string;
  dateTime(iso: string): string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** English: the reference dictionary; `Messages` is its shape, so vi must have every key. */
export const en = {
  meta: {
    languageName: 'English',
    appName: 'Gatehouse',
    skipToContent: 'Skip to content',
    languageSwitch: 'Language',
    loading: 'Loading…',
    notFoundTitle: 'Page not found',
    notFoundBody: 'This page does not exist. Try one of these:',
  },
  nav: {
    signIn: 'Sign in',
    signUp: 'Create account',
    verify: 'Your identifiers',
    resetPassword: 'Forgot password?',
    signOut: 'Sign out',
    mainMenu: 'Main',
  },
  fields: {
    username: 'Username',
    usernameHint: '3–32 characters: lower-case letters, digits, dot, underscore, hyphen.',
    email: 'Email',
    phone: 'Phone number',
    phoneHint: 'For example 0901 234 567 or +84 90 123 4567.',
    displayName: 'Display name',
    password: 'Password',
    passwordHint: '8 to 128 characters. Avoid common passwords.',
    newPassword: 'New password',
    confirmPassword: 'Repeat the new password',
    showPassword: 'Show password',
    identifier: 'Username, email or phone number',
    code: 'Code',
    optional: '(optional)',
  },
  signUp: {
    title: 'Create your account',
    intro: 'Add an email or a phone number so you can sign in with it and recover your password.',
    submit: 'Create account',
    haveAccount: 'Already have an account?',
  },
  signIn: {
    title: 'Sign in',
    submit: 'Sign in',
    noAccount: 'New here?',
    notVerifiedTitle: 'Verify to finish signing in',
    notVerifiedBody: 'This identifier is not verified yet. We sent a code to it: enter it below and we will sign you in.',
    signedIn: 'You are signed in.',
  },
  verify: {
    title: 'Your sign-in identifiers',
    intro: 'Verify your email and phone number to sign in with them and to recover your password.',
    signedOut: 'Sign in to see and verify your identifiers.',
    sessionEnded: 'Your session has ended. Please sign in again.',
    verified: 'Verified',
    notVerified: 'Not verified',
    sendCode: 'Send a code',
    sendNewCode: 'Send a new code',
    verifiedNow: (value: string) => `${value} is now verified.`,
    typeUsername: 'Username',
    typeEmail: 'Email',
    typePhone: 'Phone',
    signedInAs: (name: string) => `Signed in as ${name}`,
  },
  otp: {
    sentTo: (destination: string) => `We sent a code to ${destination}.`,
    sent: 'We sent you a code.',
    validUntil: (time: string) => `It is valid until ${time}.`,
    submit: 'Verify',
    resend: 'Resend code',
    resendIn: (time: string) => `Resend code in ${time}`,
    resent: 'A new code is on its way. The previous code no longer works.',
    startOver: 'Start over',
    attemptsLeft: (n: number) => `${plural(n, 'attempt', 'attempts')} left.`,
    codeHint: 'The code is in the message we sent you.',
  },
  reset: {
    title: 'Reset your password',
    stepIdentifier: 'Enter the username, email or phone number of your account. If we find it, we send a code to its verified email or phone.',
    sendCode: 'Send code',
    stepCode: 'Enter the code',
    stepPassword: 'Choose a new password',
    savePassword: 'Save new password',
    mismatch: 'The two passwords are not the same.',
    doneTitle: 'Password changed',
    doneBody: 'Your password has been changed, and you have been signed out everywhere. Sign in with your new password.',
    goSignIn: 'Go to sign in',
    tokenExpired: 'This reset has expired. Please start over.',
  },
  common: {
    working: 'Please wait…',
    back: 'Back',
    required: 'Please fill in this field.',
  },
  errors: {
    BAD_USER_INPUT: (f: ErrorFacts) => (f.field ? `Please check this value (${f.field}).` : 'Please check the values you entered.'),
    BAD_USER_INPUT_FIELD: 'Please check this value.',
    UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
    FORBIDDEN: 'You are not allowed to do this.',
    INVALID_CREDENTIALS: 'The identifier or the password is not correct.',
    IDENTIFIER_NOT_VERIFIED: 'This identifier is not verified yet.',
    ACCOUNT_DISABLED: 'This account has been blocked or deactivated.',
    ACCOUNT_PENDING_DELETION: (f: ErrorFacts, fmt: Formatters) =>
      f.scheduledFor
        ? `This account is scheduled for deletion on ${fmt.dateTime(f.scheduledFor)}. You can still cancel the deletion until then.`
        : 'This account is scheduled for deletion.',
    IDENTIFIER_TAKEN: 'This is already in use by another account.',
    PASSWORD_POLICY: 'This password is not allowed: use 8 to 128 characters, not a common password, and not your username, email or phone number.',
    OTP_INVALID: (f: ErrorFacts) =>
      f.attemptsRemaining !== undefined
        ? `That code is not correct. ${plural(f.attemptsRemaining, 'attempt', 'attempts')} left.`
        : 'That code is not valid. Ask for a new one.',
    OTP_EXPIRED: 'This code has expired. Ask for a new one.',
    OTP_MAX_ATTEMPTS: 'Too many wrong codes: this code no longer works. Ask for a new one.',
    OTP_RESEND_COOLDOWN: (f: ErrorFacts, fmt: Formatters) =>
      f.retryAfterSeconds !== undefined
        ? `Please wait ${fmt.duration(f.retryAfterSeconds)} before asking for a new code.`
        : 'Please wait a moment before asking for a new code.',
    RATE_LIMITED: (f: ErrorFacts, fmt: Formatters) =>
      f.retryAfterSeconds !== undefined
        ? `Too many attempts. Try again in ${fmt.duration(f.retryAfterSeconds)}.`
        : 'Too many attempts. Try again later.',
    LAST_IDENTIFIER: 'You cannot remove the last verified identifier of your account.',
    NOT_FOUND: 'We could not find what you asked for.',
    GRAPHQL_VALIDATION_FAILED: 'The request was refused. Please reload the page and try again.',
    BAD_REQUEST: 'The request was refused. Please reload the page and try again.',
    SERVICE_UNAVAILABLE: 'The service is unavailable for a moment. Please try again shortly.',
    INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
    NETWORK: 'We could not reach the server. Check your connection and try again.',
  },
  durations: {
    seconds: (n: number) => plural(n, 'second', 'seconds'),
    minutes: (n: number) => plural(n, 'minute', 'minutes'),
    hours: (n: number) => plural(n, 'hour', 'hours'),
  },
};

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => infer R
    ? (...args: A) => R
    : { [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof en>;
