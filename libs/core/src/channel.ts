/** Where a message or a code goes: an email address or a phone number (SMS). */
export const CHANNELS = ['EMAIL', 'SMS'] as const;

/** The same by name (`Channel.SMS`); libs/graphql registers it as the schema's `OtpChannel` enum. */
export const Channel = { EMAIL: 'EMAIL', SMS: 'SMS' } as const satisfies Record<string, (typeof CHANNELS)[number]>;

export type Channel = (typeof CHANNELS)[number];
