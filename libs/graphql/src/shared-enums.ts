import { registerEnumType } from '@nestjs/graphql';
import { Channel, Locale } from '@app/core';

// core's Locale and Channel in the schema, under the contract's names (`Locale`: EN / VI for
// 'en' / 'vi'; `OtpChannel`: EMAIL / SMS). Registered here, once, so no domain library has to know
// GraphQL to use them; graphql.module.ts imports this file.
registerEnumType(Locale, { name: 'Locale' });
registerEnumType(Channel, { name: 'OtpChannel' });
