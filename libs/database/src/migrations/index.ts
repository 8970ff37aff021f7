import { InitialSchema1732250000000 } from './1732250000000-initial-schema';

/** Every migration, in order. A new migration is appended here (see `npm run migration:generate`). */
export const MIGRATIONS = [InitialSchema1732250000000];
