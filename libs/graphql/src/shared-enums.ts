import { registerEnumType } from '@nestjs/graphql';

/**
 * API enums used by several feature libraries (accounts, notifications, otp), registered once
 * here so no feature has to import another just for an enum.
 */
export enum Locale {
  EN = 'EN',
  VI = 'VI',
}
registerEnumType(Locale, { name: 'Locale' });

export enum OtpChannel {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
}
registerEnumType(OtpChannel, { name: 'OtpChannel' });

export const toLocaleEnum = (l: 'en' | 'vi'): Locale => (l === 'vi' ? Locale.VI : Locale.EN);
export const fromLocaleEnum = (l: Locale): 'en' | 'vi' => (l === Locale.VI ? 'vi' : 'en');
