import { stopAllApps } from '@app/testing';

// Runs before every e2e file (jest.config.js, setupFilesAfterEnv). Each file starts its own apps
// and stacks with its own options; stopping them all, sinks and databases included, is the same
// everywhere. A file that needs longer (a restart of PostgreSQL, a race on many accounts) calls
// jest.setTimeout again itself. (Jest 29 ignores a project-level testTimeout, hence the call.)
jest.setTimeout(60_000);

afterAll(stopAllApps);
