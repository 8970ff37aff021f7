export { SecondFactorModule } from './second-factor.module';
export { SecondFactorSettingsService } from './second-factor-settings.service';
export { SignInStepService } from './sign-in-step.service';
export type { FirstStep } from './sign-in-step.service';
export { SecondFactorMethod, SecondFactorStatusModel, DisableSecondFactorInput } from './second-factor.models';
export { SecondFactorException, SecondFactorErrorCode } from './second-factor.exception';
export { eraseSecondFactorsFor } from './second-factors.repository';
