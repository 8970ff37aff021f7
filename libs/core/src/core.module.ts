import type { DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/**
 * What core gives every library through Nest: the `Clock`. Imported once by each application
 * (the API, and the standalone jobs), global. Built as a dynamic module, without `@Module()`,
 * so that core loads without Nest at run time: unit tests import `@app/core` in Jest, which cannot
 * load Nest's ESM-only packages (jest.config.js).
 */
export class CoreModule {
  static forRoot(): DynamicModule {
    return { module: CoreModule, global: true, providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] };
  }
}
